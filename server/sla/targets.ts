/**
 * Targets: a conversation's clock targets from its policy (server/policy), and the
 * working time that business-hours targets count, from the injected CalendarSource.
 * The policy in force is recorded on the timeline once per change (`sla.policy_applied`).
 */
import type { InboxDirectory } from '../cache/inboxes';
import { ALWAYS_OPEN, type WorkingTime } from '../calendar/working-time';
import type { ConversationDoc } from '../domain/conversation';
import { TARGET_KINDS, type ClockKind } from '../domain/types';
import type { ConversationWrite } from '../ingest/timeline';
import { policyDigest, type ResolvedPolicy } from '../policy/resolve';
import type { PolicyStore } from '../policy/store';
import type { ClockTarget } from './clock';

/** Where business-hours clocks get their inbox's calendar (server/calendar implements it). */
export interface CalendarSource {
  forInbox(inboxId: string): Promise<WorkingTime>;
}

export const ALWAYS_OPEN_CALENDARS: CalendarSource = { forInbox: () => Promise.resolve(ALWAYS_OPEN) };

export interface ConversationPolicy {
  policy: ResolvedPolicy;
  digest: string;
}

type PolicyConv = Pick<
  ConversationDoc,
  '_id' | 'inboxId' | 'channel' | 'priority' | 'category' | 'vip' | 'policyDigest'
>;

export class Targets {
  constructor(
    private readonly inboxes: InboxDirectory,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarSource,
  ) {}

  async policyOf(conv: PolicyConv): Promise<ConversationPolicy> {
    const inbox = await this.inboxes.get(String(conv.inboxId));
    const policy = await this.policies.resolve(
      {
        inboxId: String(conv.inboxId),
        channel: conv.channel,
        priority: conv.priority,
        category: conv.category ?? null,
        vip: conv.vip === true,
      },
      inbox?.sla ?? {},
    );
    return { policy, digest: policyDigest(policy) };
  }

  static target(p: ResolvedPolicy, kind: ClockKind): ClockTarget | null {
    const t = p[kind];
    return t ? { ms: t.ms, businessHours: t.businessHours, source: t.source } : null;
  }

  workingTime(conv: Pick<ConversationDoc, 'inboxId'>, businessHours: boolean): Promise<WorkingTime> {
    return businessHours ? this.calendars.forInbox(String(conv.inboxId)) : Promise.resolve(ALWAYS_OPEN);
  }

  /** Adds the policy to the write when it differs from the one recorded last; true when it did. */
  recordIfChanged(
    conv: PolicyConv,
    p: ConversationPolicy,
    reason: string,
    write: ConversationWrite,
  ): boolean {
    if (conv.policyDigest === p.digest) return false;
    const clocks = Object.fromEntries(TARGET_KINDS.map((k) => [k, p.policy[k]]));
    write.record('sla.policy_applied', { type: 'system', id: null }, { reason, clocks });
    return true;
  }
}
