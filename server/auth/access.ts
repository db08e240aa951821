/**
 * AgentAccess: who a bearer token belongs to, as of now. The token proves identity;
 * the account decides access, so a disabled agent is locked out at once, a role or team
 * change applies from the next request, and a token issued before the account's last
 * password or role change (its session epoch) is refused.
 */
import type { AgentDoc } from '../domain/agent';
import { Unauthorized } from '../domain/errors';
import type { Models } from '../domain/models';
import { scopeOf, type Scope } from '../access/rules';
import type { Tokens } from './tokens';

export class AgentAccess {
  constructor(
    readonly tokens: Tokens,
    private readonly models: Models,
  ) {}

  async verify(token: unknown): Promise<Scope> {
    const { agentId, epoch } = this.tokens.verifyAgent(token);
    const agent = await this.models.Agent.findById(agentId, {
      active: 1,
      role: 1,
      teamIds: 1,
      sessionEpoch: 1,
    }).lean<AgentDoc>();
    if (!agent) throw new Unauthorized();
    if (!agent.active) throw new Unauthorized('Your account is disabled.');
    if ((agent.sessionEpoch ?? 0) !== (epoch ?? 0))
      throw new Unauthorized('Your sign-in has ended (password or role changed); sign in again.');
    return scopeOf(agent);
  }

  /** A token for the account as it is now. */
  issue(agent: Pick<AgentDoc, '_id' | 'role' | 'sessionEpoch'>): string {
    return this.tokens.issueAgent({
      agentId: String(agent._id),
      role: agent.role,
      epoch: agent.sessionEpoch ?? 0,
    });
  }
}
