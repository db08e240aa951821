/** Conversation: one thread between a contact and the team on one inbox, with its SLA clocks. */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { timedFlag } from '../storage/timed';
import {
  CHANNEL_KINDS,
  CLOCK_KINDS,
  type ChannelKind,
  type ClockKind,
  type ConversationStatus,
  type Priority,
} from './types';

/** A running service-level clock. Absent (or null) on the conversation when the clock is stopped. */
export interface Clock {
  startedAt: Date;
  dueAt: Date;
  warnAt: Date;
  targetMs: number;
  warnedAt: Date | null;
  breachedAt: Date | null;
  /** The target counts business time (the inbox's calendar), not calendar time. */
  businessHours: boolean;
  /** The policy rule the target came from (a rule id, `inbox`, or `default:<rule>`). */
  policy: string | null;
  /** Set with `breachedAt` while the breach's escalation has still to be carried out. */
  escalating?: boolean;
}

export type RunningClocks = Partial<Record<ClockKind, Clock | null>>;

export interface ConversationDoc {
  _id: Types.ObjectId;
  number: number;
  inboxId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: ChannelKind;
  status: ConversationStatus;
  /**
   * `${inboxId}:${contactId}` while the conversation is open, `closed:${_id}` once resolved:
   * the unique index makes "find or open the conversation" atomic.
   */
  liveKey: string;
  /** Channel-specific thread key (email thread root); conversations with one are found by it. */
  threadKey: string | null;
  subject: string | null;
  assigneeId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
  priority: Priority;
  category: string | null;
  labels: string[];
  queuedAt: Date | null;
  assignedAt: Date | null;
  resolvedAt: Date | null;
  lastMessageAt: Date;
  /** The start of the newest public message, for lists (customer or agent; notes and automatic ones are left out). */
  preview: ConversationPreview | null;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
  /** Agents that let an offer of this queue entry lapse or declined it; the router skips them. */
  offerSkips: Types.ObjectId[];
  /** When the last offer of this queue entry was declined or lapsed. */
  lastOfferEndedAt: Date | null;
  /** Running clocks by kind. */
  clocks: RunningClocks;
  /** The earliest pending warning point or deadline of the running clocks; null when none is pending. */
  nextClockAt: Date | null;
  /** Digest of the policy last recorded on the timeline (`sla.policy_applied` once per change). */
  policyDigest: string | null;
  replyBreaches: number;
  /** The contact was a VIP when the conversation opened (policy matching without a contact read). */
  vip: boolean;
  /** The customer's answer to the latest satisfaction survey (server/csat), for the console's badge. */
  csat: { rating: number; comment: string | null; answeredAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A running clock's stored shape (follow-up tasks carry one too). */
export const clockSchema = new Schema<Clock>(
  {
    startedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    warnAt: { type: Date, required: true },
    targetMs: { type: Number, required: true },
    warnedAt: { type: Date, default: null },
    breachedAt: { type: Date, default: null },
    businessHours: { type: Boolean, default: false },
    policy: { type: String, default: null },
    escalating: { type: Boolean },
  },
  { _id: false },
);
const clocks = new Schema<RunningClocks>(
  Object.fromEntries(CLOCK_KINDS.map((k) => [k, { type: clockSchema, default: null }])),
  { _id: false },
);

export interface ConversationPreview {
  text: string;
  from: 'contact' | 'agent';
}

const PREVIEW_CHARS = 140;

/** What a list shows of a message: its first characters on one line, or its first attachment's name. */
export function previewOf(
  from: ConversationPreview['from'],
  text: string,
  attachments: { name: string }[] = [],
): ConversationPreview | null {
  const line = text.replace(/\s+/g, ' ').trim();
  const shown = line || (attachments[0] ? `📎 ${attachments[0].name}` : '');
  if (!shown) return null;
  return {
    from,
    text: [...shown].length > PREVIEW_CHARS ? `${[...shown].slice(0, PREVIEW_CHARS - 1).join('')}…` : shown,
  };
}

const schema = new Schema<ConversationDoc>(
  {
    number: { type: Number, required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    channel: { type: String, enum: CHANNEL_KINDS, required: true },
    status: { type: String, enum: ['queued', 'assigned', 'resolved'], required: true },
    liveKey: { type: String, required: true },
    threadKey: { type: String, default: null },
    subject: { type: String, default: null },
    assigneeId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    priority: { type: Number, min: 0, max: 3, default: 1 },
    category: { type: String, default: null },
    labels: { type: [String], default: [] },
    queuedAt: { type: Date, default: null },
    assignedAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    lastMessageAt: { type: Date, default: () => new Date() },
    preview: {
      type: new Schema({ text: String, from: { type: String, enum: ['contact', 'agent'] } }, { _id: false }),
      default: null,
    },
    lastCustomerMessageAt: { type: Date, default: null },
    lastAgentReplyAt: { type: Date, default: null },
    offerSkips: { type: [Schema.Types.ObjectId], default: [] },
    lastOfferEndedAt: { type: Date, default: null },
    clocks: { type: clocks, default: () => ({}) },
    nextClockAt: { type: Date, default: null },
    policyDigest: { type: String, default: null },
    replyBreaches: { type: Number, default: 0 },
    vip: { type: Boolean, default: false },
    csat: {
      type: new Schema(
        { rating: Number, comment: { type: String, default: null }, answeredAt: Date },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true },
);
// Find-or-open of the live conversation for a contact on an inbox (atomic by uniqueness).
schema.index({ liveKey: 1 }, { unique: true });
// Human-facing conversation numbers (email acknowledgements, console search).
schema.index({ number: 1 }, { unique: true });
// Router queue: queued conversations by priority then age.
schema.index({ status: 1, priority: -1, queuedAt: 1 });
// An agent's conversations; returning them to the queue when the agent goes offline.
schema.index({ assigneeId: 1, status: 1 });
// Reopening a recently resolved conversation; a contact's past conversations.
schema.index({ contactId: 1, inboxId: 1, resolvedAt: -1 });
// Email threading by thread root.
schema.index({ inboxId: 1, threadKey: 1 });
// SLA sweep: conversations with a warning point or deadline that has passed, whatever the clock.
timedFlag(schema);
// Router queue scan: queued conversations whose pickup clock runs.
schema.index({ status: 1, 'clocks.pickup.startedAt': 1 });
// Console lists and search, newest activity first.
schema.index({ lastMessageAt: -1 });
// Retention sweep: resolved conversations resolved before the retention period.
schema.index({ status: 1, resolvedAt: 1 });

export const registerConversation = (db: Connection) => db.model<ConversationDoc>('Conversation', schema);

/**
 * Where a waiting conversation stands in its queue, counting from 1: its team's queue
 * (or the shared one when it has no team), served by priority, then first come.
 */
export async function placeInQueue(
  Conversation: Model<ConversationDoc>,
  conv: Pick<ConversationDoc, 'status' | 'queuedAt' | 'priority' | 'teamId'>,
): Promise<number | null> {
  if (conv.status !== 'queued' || !conv.queuedAt) return null;
  const ahead = await Conversation.countDocuments({
    status: 'queued',
    teamId: conv.teamId ?? null,
    $or: [
      { priority: { $gt: conv.priority } },
      { priority: conv.priority, queuedAt: { $lt: conv.queuedAt } },
    ],
  });
  return ahead + 1;
}
