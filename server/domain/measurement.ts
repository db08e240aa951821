/** SlaMeasurement: one stopped (or breached) clock; attainment reports are computed from these. */
import { Schema, type Connection, type Types } from 'mongoose';
import { CHANNEL_KINDS, CLOCK_KINDS, type ChannelKind, type ClockKind } from './types';

export interface SlaMeasurementDoc {
  _id: Types.ObjectId;
  /** `${conversationId}:${clock}:${startedAt}`: a clock is measured once. */
  key: string;
  conversationId: Types.ObjectId;
  inboxId: Types.ObjectId;
  channel: ChannelKind;
  agentId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
  /** The conversation's category when the clock stopped (reports by category). */
  category: string | null;
  clock: ClockKind;
  startedAt: Date;
  stoppedAt: Date;
  targetMs: number;
  /** Calendar time, or open time for a business-hours clock. */
  elapsedMs: number;
  met: boolean;
  businessHours: boolean;
}

const schema = new Schema<SlaMeasurementDoc>({
  key: { type: String, required: true },
  conversationId: { type: Schema.Types.ObjectId, required: true },
  inboxId: { type: Schema.Types.ObjectId, required: true },
  channel: { type: String, enum: CHANNEL_KINDS, required: true },
  agentId: { type: Schema.Types.ObjectId, default: null },
  teamId: { type: Schema.Types.ObjectId, default: null },
  category: { type: String, default: null },
  clock: { type: String, enum: CLOCK_KINDS, required: true },
  startedAt: { type: Date, required: true },
  stoppedAt: { type: Date, required: true },
  targetMs: { type: Number, required: true },
  elapsedMs: { type: Number, required: true },
  met: { type: Boolean, required: true },
  businessHours: { type: Boolean, default: false },
});
// Once-only measurement of a clock.
schema.index({ key: 1 }, { unique: true });
// Attainment reports by period, then by agent / inbox / channel / team.
schema.index({ stoppedAt: 1, clock: 1 });
schema.index({ agentId: 1, stoppedAt: 1 });

export const registerSlaMeasurement = (db: Connection) =>
  db.model<SlaMeasurementDoc>('SlaMeasurement', schema);
