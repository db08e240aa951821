/**
 * Resolution: one row per resolution of a conversation, written when the timeline records
 * it, with the report's groups and what the figures need (handling time, first contact).
 * Every field is derived from the conversation's timeline, so the row can be rebuilt.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import { CHANNEL_KINDS, type ChannelKind } from '../domain/types';

export interface ResolutionDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  number: number;
  resolvedAt: Date;
  /** When this opening began: the conversation opened, or was last reopened, before the resolution. */
  openedAt: Date;
  /** resolvedAt − openedAt, calendar time. */
  handleMs: number;
  /** Resolved on its first opening without a transfer, a return to the queue or an escalation. */
  firstContact: boolean;
  channel: ChannelKind;
  inboxId: Types.ObjectId;
  teamId: Types.ObjectId | null;
  /** The assignee at resolution, else the agent who resolved it. */
  agentId: Types.ObjectId | null;
  category: string | null;
}

const schema = new Schema<ResolutionDoc>({
  conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  number: { type: Number, required: true },
  resolvedAt: { type: Date, required: true },
  openedAt: { type: Date, required: true },
  handleMs: { type: Number, required: true },
  firstContact: { type: Boolean, required: true },
  channel: { type: String, enum: CHANNEL_KINDS, required: true },
  inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
  teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
  agentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  category: { type: String, default: null },
});
// One row per resolution, whichever process records it.
schema.index({ conversationId: 1, resolvedAt: 1 }, { unique: true });
// Figures and drill-down: resolutions in a period ($match on resolvedAt, then $group).
schema.index({ resolvedAt: 1 });

export const registerResolution = (db: Connection) => db.model<ResolutionDoc>('Resolution', schema);
