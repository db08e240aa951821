/**
 * AgentAccess: who a bearer token belongs to, as of now. The token proves identity;
 * the account decides access, so a disabled agent is locked out at once and a role
 * change applies from the next request, not from the next sign-in.
 */
import type { AgentDoc } from '../domain/agent';
import { Unauthorized } from '../domain/errors';
import type { Models } from '../domain/models';
import type { AgentIdentity, Tokens } from './tokens';

export class AgentAccess {
  constructor(
    readonly tokens: Tokens,
    private readonly models: Models,
  ) {}

  async verify(token: unknown): Promise<AgentIdentity> {
    const { agentId } = this.tokens.verifyAgent(token);
    const agent = await this.models.Agent.findById(agentId, { active: 1, role: 1 }).lean<AgentDoc>();
    if (!agent) throw new Unauthorized();
    if (!agent.active) throw new Unauthorized('Your account is disabled.');
    return { agentId, role: agent.role };
  }
}
