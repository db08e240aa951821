/**
 * The clock catalogue: every service-level clock is one row saying on which lifecycle
 * events it starts, stops (measured, met or missed) or is cancelled (unmeasured: the
 * conversation left what the clock was about), under which condition, and what its
 * breach escalates. The engine (engine.ts) runs every row with the same machinery, so a
 * new clock is a new row, plus the lifecycle event that stops it.
 */
import type { ConversationDoc } from '../domain/conversation';
import type { ClockKind, TeamTier } from '../domain/types';

/** What ingest, the router and replies tell the engine happened to a conversation. */
export const LIFECYCLE_EVENTS = [
  'opened',
  'reopened',
  /** Entered the queue: new, reopened, returned or transferred to a team. */
  'queued',
  /** An agent holds it now: accepted an offer, took it, or received it by transfer. */
  'picked_up',
  /** A customer message owed an answer (machine mail is not). */
  'customer_message',
  /** A public agent reply (notes and automatic messages are not). */
  'agent_reply',
  'team_changed',
  'resolved',
  /** The category became `complaint` (set at intake or changed by an agent). */
  'became_complaint',
  /** The category changed from `complaint` to another: the complaint's clocks no longer apply. */
  'no_longer_complaint',
  /** An agent recorded the solution proposed to a complaining customer. */
  'solution_recorded',
  /** The complaint's follow-up task was completed. */
  'complaint_followup_done',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** What a condition may look at. The team's tier costs a read, so it is asked for lazily. */
export interface ClockFacts<E extends string = LifecycleEvent> {
  event: E;
  conv: Pick<
    ConversationDoc,
    'status' | 'teamId' | 'category' | 'priority' | 'lastCustomerMessageAt' | 'lastAgentReplyAt'
  >;
  tier(): Promise<TeamTier | null>;
}

export type Condition<E extends string = LifecycleEvent> = (f: ClockFacts<E>) => boolean | Promise<boolean>;
export interface Trigger<E extends string = LifecycleEvent> {
  on: E;
  when?: Condition<E>;
}

/**
 * What a breach sets off, beyond the record, the measurement and the supervisors' alert
 * that every breach gets: `raise_priority` (priority up one, the customer told where they
 * stand, dispatch again), `count_reply_breach` (repeated breaches return the conversation
 * to the queue), `second_line` (moved to the inbox's second-line team), `alert` (nothing more).
 */
export type BreachAction = 'raise_priority' | 'count_reply_breach' | 'second_line' | 'alert';

export interface ClockRow<K extends string = ClockKind, E extends string = LifecycleEvent> {
  kind: K;
  starts: readonly Trigger<E>[];
  stops: readonly Trigger<E>[];
  cancels: readonly Trigger<E>[];
  breach: BreachAction;
}

const owed = ({ conv }: ClockFacts) =>
  conv.lastCustomerMessageAt !== null &&
  (conv.lastAgentReplyAt === null || conv.lastAgentReplyAt < conv.lastCustomerMessageAt);
const heldByAgent = ({ conv }: ClockFacts) => conv.status === 'assigned';
const isComplaint = ({ conv }: ClockFacts) => conv.category === 'complaint';
const tierIs =
  (t: TeamTier) =>
  async (f: ClockFacts): Promise<boolean> =>
    (await f.tier()) === t;

export const CATALOGUE: readonly ClockRow[] = [
  {
    kind: 'pickup',
    starts: [{ on: 'queued' }],
    stops: [{ on: 'picked_up' }],
    cancels: [{ on: 'resolved' }],
    breach: 'raise_priority',
  },
  {
    kind: 'reply',
    starts: [
      { on: 'customer_message', when: heldByAgent },
      // Messages that waited in the queue are owed an answer from the moment of pickup.
      { on: 'picked_up', when: owed },
    ],
    stops: [{ on: 'agent_reply' }],
    cancels: [{ on: 'queued' }, { on: 'resolved' }],
    breach: 'count_reply_breach',
  },
  {
    kind: 'resolution',
    starts: [{ on: 'opened' }, { on: 'reopened' }],
    stops: [{ on: 'resolved' }],
    cancels: [],
    breach: 'alert',
  },
  {
    kind: 'escalation',
    starts: [
      { on: 'opened', when: tierIs('first') },
      { on: 'reopened', when: tierIs('first') },
      { on: 'team_changed', when: tierIs('first') },
    ],
    stops: [{ on: 'resolved' }, { on: 'team_changed', when: tierIs('second') }],
    cancels: [],
    breach: 'second_line',
  },
  {
    kind: 'complaint_acknowledgement',
    starts: [{ on: 'became_complaint' }],
    // The solution itself goes out as a public reply, so it acknowledges too.
    stops: [{ on: 'agent_reply', when: isComplaint }],
    cancels: [{ on: 'no_longer_complaint' }],
    breach: 'alert',
  },
  {
    kind: 'complaint_solution',
    starts: [{ on: 'became_complaint' }],
    stops: [{ on: 'solution_recorded' }],
    cancels: [{ on: 'no_longer_complaint' }],
    breach: 'alert',
  },
  {
    // Runs on after the conversation is resolved (the customer accepted): the follow-up comes later.
    kind: 'complaint_follow_up',
    starts: [{ on: 'solution_recorded' }],
    stops: [{ on: 'complaint_followup_done' }],
    cancels: [{ on: 'no_longer_complaint' }],
    breach: 'alert',
  },
];

export const catalogueRow = (kind: ClockKind): ClockRow => {
  const row = CATALOGUE.find((r) => r.kind === kind);
  if (!row) throw new Error(`no catalogue row for the ${kind} clock`);
  return row;
};

export interface ClockPlan<K extends string> {
  stop: K[];
  cancel: K[];
  start: K[];
}

async function fires<E extends string>(triggers: readonly Trigger<E>[], f: ClockFacts<E>): Promise<boolean> {
  for (const t of triggers) if (t.on === f.event && (!t.when || (await t.when(f)))) return true;
  return false;
}

/**
 * What an event does to the clocks: running clocks it stops or cancels, idle ones it
 * starts. A clock already running is not restarted; one stopped by the event stays stopped.
 */
export async function plan<K extends string, E extends string>(
  table: readonly ClockRow<K, E>[],
  facts: ClockFacts<E>,
  running: (kind: K) => boolean,
): Promise<ClockPlan<K>> {
  const out: ClockPlan<K> = { stop: [], cancel: [], start: [] };
  for (const row of table) {
    if (running(row.kind)) {
      if (await fires(row.stops, facts)) out.stop.push(row.kind);
      else if (await fires(row.cancels, facts)) out.cancel.push(row.kind);
    } else if (await fires(row.starts, facts)) out.start.push(row.kind);
  }
  return out;
}
