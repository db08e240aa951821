/**
 * Candidates: who may be offered a queued conversation now. Online agents with room, less
 * those off duty by their shifts; then a VIP's dedicated agent first, else the team, with a
 * category's skilled agents first; `pickAgent` chooses among what is left.
 */
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import { dedicatedAgents, dedicatedChoice } from './dedicated';
import { pickAgent } from './pick';
import { SkillRouting } from './skills';

/** Who is on duty: agents on a rota are offered work only during their shifts. */
export interface DutyRoster {
  onDuty(agents: AgentDoc[]): Promise<AgentDoc[]>;
}

export type Choose = (conv: ConversationDoc, agents: AgentDoc[]) => Promise<AgentDoc | null>;

export class Candidates {
  /** Set by the composition root when shifts are kept; without one every agent is on duty. */
  roster: DutyRoster | null = null;
  private readonly skills: SkillRouting;

  constructor(
    private readonly models: Models,
    timeline: Timeline,
    private readonly cfg: Config['routing'],
    logger: Logger,
  ) {
    this.skills = new SkillRouting(models, timeline, cfg.skillWaitMs, logger);
  }

  /** Online, active agents with seats who are on duty now (by the roster's clock). */
  async online(): Promise<AgentDoc[]> {
    const agents = await this.models.Agent.find({
      presence: 'online',
      active: true,
      capacity: { $gt: 0 },
    }).lean<AgentDoc[]>();
    if (agents.length === 0 || !this.roster) return agents;
    return this.roster.onDuty(agents);
  }

  /** A chooser for one dispatch pass over `queued` (reads dedicated agents and skill needs once). */
  async chooser(queued: ConversationDoc[], loads: Map<string, number>, now: Date): Promise<Choose> {
    const [dedicated, needs] = await Promise.all([dedicatedAgents(this.models, queued), this.skills.needs()]);
    const { strategy, offerTimeoutMs, vipWaitMs } = this.cfg;
    const pick = (
      conv: Pick<ConversationDoc, 'teamId' | 'offerSkips' | 'lastOfferEndedAt'>,
      pool: AgentDoc[],
    ) => pickAgent(conv, pool, loads, strategy, offerTimeoutMs, now);
    return async (conv, agents) => {
      const mine: Types.ObjectId | undefined = dedicated.get(String(conv.contactId));
      const first = dedicatedChoice(conv, mine, agents, loads, vipWaitMs, now);
      if (first === 'hold') return null;
      // The dedicated agent serves their customer whatever their team.
      if (first) return pick({ ...conv, teamId: null }, [first]);
      return pick(conv, await this.skills.pool(conv, agents, needs, now));
    };
  }
}
