/**
 * Skill routing: a category may require a skill. Its queued conversations are offered to
 * the team's online agents who have that skill until the category's wait is over
 * (`skillWaitMs`, else ROUTING_SKILL_WAIT_MS from entering the queue), then to the whole
 * team; at once to the whole team while none of the team's skilled agents is online. The
 * widening is recorded on the timeline once per queue entry.
 */
import type { Logger } from 'pino';
import type { CategoryDoc } from '../classification/category';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';

export interface SkillNeed {
  skill: string;
  waitMs: number;
}

export type Widened = 'wait_over' | 'none_skilled_online';

type Entry = Pick<ConversationDoc, 'teamId' | 'queuedAt'>;

export const hasSkill = (a: Pick<AgentDoc, 'skills'>, skill: string) =>
  a.skills.some((s) => s.toLowerCase() === skill.toLowerCase());

const inTeam = (a: AgentDoc, conv: Entry) =>
  !conv.teamId || a.teamIds.some((t) => String(t) === String(conv.teamId));

/** The agents the entry may be offered to now, and whether (why) that is the whole team. */
export function skillPool(
  conv: Entry,
  agents: AgentDoc[],
  need: SkillNeed,
  now: Date,
): { agents: AgentDoc[]; widened: Widened | null } {
  const skilled = agents.filter((a) => inTeam(a, conv) && hasSkill(a, need.skill));
  if (skilled.length === 0) return { agents, widened: 'none_skilled_online' };
  const queuedAt = conv.queuedAt ? new Date(conv.queuedAt).getTime() : now.getTime();
  if (now.getTime() >= queuedAt + need.waitMs) return { agents, widened: 'wait_over' };
  return { agents: skilled, widened: null };
}

/** How long the category list is trusted; a change reaches routing within this time. */
const CATEGORY_CACHE_MS = 1000;
/** Queue entries whose widening this process recorded (bounded). */
const MAX_REMEMBERED = 10_000;

export class SkillRouting {
  private cache: { at: number; needs: Promise<Map<string, SkillNeed>> } | null = null;
  private readonly recorded = new Set<string>();

  constructor(
    private readonly models: Models,
    private readonly timeline: Timeline,
    private readonly defaultWaitMs: number,
    private readonly logger: Logger,
  ) {}

  /** The categories that require a skill, by key. */
  needs(): Promise<Map<string, SkillNeed>> {
    if (this.cache && Date.now() - this.cache.at < CATEGORY_CACHE_MS) return this.cache.needs;
    const needs = this.models.Category.find(
      { requiredSkill: { $ne: null } },
      { key: 1, requiredSkill: 1, skillWaitMs: 1 },
    )
      .lean<Pick<CategoryDoc, 'key' | 'requiredSkill' | 'skillWaitMs'>[]>()
      .then(
        (list) =>
          new Map(
            list
              .filter((c) => c.requiredSkill)
              .map((c) => [
                c.key,
                { skill: c.requiredSkill as string, waitMs: c.skillWaitMs ?? this.defaultWaitMs },
              ]),
          ),
      );
    const entry = { at: Date.now(), needs };
    this.cache = entry;
    needs.catch(() => {
      if (this.cache === entry) this.cache = null;
    });
    return needs;
  }

  /** Narrows the pool of a conversation whose category requires a skill; records a widening once. */
  async pool(
    conv: ConversationDoc,
    agents: AgentDoc[],
    needs: Map<string, SkillNeed>,
    now: Date,
  ): Promise<AgentDoc[]> {
    const need = conv.category ? needs.get(conv.category) : undefined;
    if (!need) return agents;
    const { agents: pool, widened } = skillPool(conv, agents, need, now);
    if (widened) await this.recordWidening(conv, need, widened);
    return pool;
  }

  private async recordWidening(conv: ConversationDoc, need: SkillNeed, reason: Widened): Promise<void> {
    const entry = conv.queuedAt ? new Date(conv.queuedAt).getTime() : 0;
    const key = `widened:${entry}`;
    const memo = `${String(conv._id)}:${key}`;
    if (this.recorded.has(memo)) return;
    try {
      await this.timeline.recordOnce(conv, 'conversation.widened', key, {
        skill: need.skill,
        reason,
        waitMs: need.waitMs,
      });
      if (this.recorded.size >= MAX_REMEMBERED) this.recorded.clear();
      this.recorded.add(memo);
    } catch (err) {
      this.logger.error({ err, conversationId: String(conv._id) }, 'recording a widening failed');
    }
  }
}
