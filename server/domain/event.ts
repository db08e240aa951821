/** ConversationEvent: the timeline, the audit log and the source of reports. */
import { Schema, type Connection, type Types } from 'mongoose';

export const EVENT_TYPES = [
  'conversation.opened',
  'conversation.reopened',
  'conversation.queued',
  'conversation.offered',
  'conversation.offer_declined',
  'conversation.offer_expired',
  'conversation.accepted',
  'conversation.taken',
  'conversation.transferred',
  'conversation.returned',
  'conversation.resolved',
  'conversation.priority_changed',
  'conversation.category_changed',
  'conversation.labels_changed',
  'conversation.escalated',
  'conversation.widened',
  'sla.pickup_started',
  'sla.pickup_stopped',
  'sla.reply_started',
  'sla.reply_stopped',
  'sla.resolution_started',
  'sla.resolution_stopped',
  'sla.escalation_started',
  'sla.escalation_stopped',
  'sla.complaint_acknowledgement_started',
  'sla.complaint_acknowledgement_stopped',
  'sla.complaint_solution_started',
  'sla.complaint_solution_stopped',
  'sla.complaint_follow_up_started',
  'sla.complaint_follow_up_stopped',
  'sla.policy_applied',
  'sla.retargeted',
  'sla.warning',
  'sla.breached',
  'contact.consent_changed',
  'contact.unreachable',
  'message.failed',
  'csat.requested',
  'csat.answered',
  'csat.changed',
  'conversation.started_by_agent',
  'complaint.opened',
  'complaint.solution_recorded',
  'complaint.accepted',
  'complaint.closed',
  'complaint.withdrawn',
  'followup.created',
  'followup.warning',
  'followup.overdue',
  'followup.completed',
  'followup.cancelled',
  'quality.sampled',
  'quality.scored',
  'quality.error',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ConversationEventDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  inboxId: Types.ObjectId;
  type: EventType;
  actor: { type: 'agent' | 'contact' | 'system'; id: Types.ObjectId | null };
  data: Record<string, unknown>;
  /** Unique per conversation: an event that must happen once (a breach) carries a deterministic key. */
  key: string;
  at: Date;
}

const schema = new Schema<ConversationEventDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    type: { type: String, enum: EVENT_TYPES, required: true },
    actor: {
      type: { type: String, enum: ['agent', 'contact', 'system'], required: true },
      id: { type: Schema.Types.ObjectId, default: null },
    },
    data: { type: Schema.Types.Mixed, default: {} },
    key: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { minimize: false },
);
// The timeline of a conversation; once-only events by key.
schema.index({ conversationId: 1, key: 1 }, { unique: true });
schema.index({ conversationId: 1, at: 1 });
// Reports by event type and period.
schema.index({ type: 1, at: 1 });

export const registerConversationEvent = (db: Connection) =>
  db.model<ConversationEventDoc>('ConversationEvent', schema);
