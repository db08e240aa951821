/**
 * Assignment: one seat of an agent's capacity, held by one conversation, either offered
 * (awaiting accept) or active. Two unique indexes are the arbiter of the routing
 * invariants on every backend, whatever the number of gateway processes: a conversation
 * holds at most one seat, and an agent has at most `capacity` seats (slots 0..capacity-1).
 */
import { Schema, type Connection, type Types } from 'mongoose';

export interface AssignmentDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  agentId: Types.ObjectId;
  slot: number;
  state: 'offered' | 'active';
  offeredAt: Date | null;
  expiresAt: Date | null;
  acceptedAt: Date | null;
}

const schema = new Schema<AssignmentDoc>({
  conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  agentId: { type: Schema.Types.ObjectId, ref: 'Agent', required: true },
  slot: { type: Number, required: true, min: 0 },
  state: { type: String, enum: ['offered', 'active'], required: true },
  offeredAt: { type: Date, default: null },
  expiresAt: { type: Date, default: null },
  acceptedAt: { type: Date, default: null },
});
// No double assignment: one seat per conversation.
schema.index({ conversationId: 1 }, { unique: true });
// No agent over capacity: one conversation per (agent, slot); also lists an agent's load.
schema.index({ agentId: 1, slot: 1 }, { unique: true });
// Offer-expiry sweep.
schema.index({ state: 1, expiresAt: 1 });

export const registerAssignment = (db: Connection) => db.model<AssignmentDoc>('Assignment', schema);
