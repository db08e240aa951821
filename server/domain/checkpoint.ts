/** ChannelCheckpoint: where a pulling channel (IMAP, Telegram polling) has safely read up to. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface ChannelCheckpointDoc {
  _id: Types.ObjectId;
  /** e.g. `${inboxId}:imap:INBOX` or `${inboxId}:telegram:offset`. */
  key: string;
  value: Record<string, unknown>;
  updatedAt: Date;
}

const schema = new Schema<ChannelCheckpointDoc>(
  { key: { type: String, required: true }, value: { type: Schema.Types.Mixed, default: {} } },
  { timestamps: { createdAt: false, updatedAt: true }, minimize: false },
);
// A channel reads and advances its checkpoint by key.
schema.index({ key: 1 }, { unique: true });

export const registerChannelCheckpoint = (db: Connection) =>
  db.model<ChannelCheckpointDoc>('ChannelCheckpoint', schema);
