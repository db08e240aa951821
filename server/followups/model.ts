/**
 * FollowUpTask (回访): a call-back owed to a contact, made by a rule (new customer,
 * complaint, at risk) or by hand, owned by the agent who first served the contact (or
 * their team), with its own due clock, done by recording the outcome.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import { timedFlag } from '../storage/timed';
import { clockSchema, type Clock } from '../domain/conversation';

export const FOLLOW_UP_REASONS = ['new_customer', 'complaint', 'at_risk', 'manual'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];
export const FOLLOW_UP_STATUSES = ['open', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export interface FollowUpOutcome {
  reached: boolean;
  satisfied: boolean | null;
  note: string;
  newConversationId: Types.ObjectId | null;
}

export interface FollowUpTaskDoc {
  _id: Types.ObjectId;
  /** `<rule>:<subject>`: a rule makes at most one task per subject. */
  key: string;
  contactId: Types.ObjectId;
  /** The conversation it follows up (null for a manual task about the contact only). */
  conversationId: Types.ObjectId | null;
  inboxId: Types.ObjectId | null;
  reason: FollowUpReason;
  ownerAgentId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
  note: string | null;
  /** The due clock: the same shape and math as a conversation's clocks. */
  clock: Clock;
  dueAt: Date;
  /** The earliest pending warning point or deadline while open; null when none is pending. */
  nextClockAt: Date | null;
  status: FollowUpStatus;
  startedConversationId: Types.ObjectId | null;
  outcome: FollowUpOutcome | null;
  createdAt: Date;
  doneAt: Date | null;
}

const schema = new Schema<FollowUpTaskDoc>(
  {
    key: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', default: null },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', default: null },
    reason: { type: String, enum: FOLLOW_UP_REASONS, required: true },
    ownerAgentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    note: { type: String, default: null },
    clock: { type: clockSchema, required: true },
    dueAt: { type: Date, required: true },
    nextClockAt: { type: Date, default: null },
    status: { type: String, enum: FOLLOW_UP_STATUSES, default: 'open' },
    startedConversationId: { type: Schema.Types.ObjectId, default: null },
    outcome: {
      type: new Schema(
        {
          reached: { type: Boolean, required: true },
          satisfied: { type: Boolean, default: null },
          note: { type: String, default: '' },
          newConversationId: { type: Schema.Types.ObjectId, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    doneAt: { type: Date, default: null },
  },
  { timestamps: true },
);
// Rules never make a task twice: one per rule and subject, whichever process asks first.
schema.index({ key: 1 }, { unique: true });
// "My follow-ups": an agent's (or team's) tasks by status, soonest due first.
schema.index({ ownerAgentId: 1, status: 1, dueAt: 1 });
schema.index({ teamId: 1, status: 1, dueAt: 1 });
// The due sweep: open tasks whose warning point or deadline has passed.
timedFlag(schema);
// Reports: tasks completed in a period, and the drill-down behind them.
schema.index({ doneAt: 1 });
// A contact's tasks (profile, completing the complaint follow-up).
schema.index({ contactId: 1, createdAt: -1 });

export const registerFollowUpTask = (db: Connection) => db.model<FollowUpTaskDoc>('FollowUpTask', schema);
