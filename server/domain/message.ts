/** Message: one customer message, agent reply, private note or automatic message. */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { sealFields } from '../privacy/plugin';
import { messageSeal } from '../privacy/specs';
import type { Attachment, DeliveryStatus } from './types';

export type SenderType = 'contact' | 'agent' | 'system';

export interface MessageDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  inboxId: Types.ObjectId;
  direction: 'in' | 'out';
  sender: { type: SenderType; id: Types.ObjectId | null; name: string | null };
  /** Private notes are seen by agents only and never sent to the customer. */
  private: boolean;
  /** Sent by Switchboard itself (acknowledgements, queue updates); does not stop the reply clock. */
  automatic: boolean;
  text: string;
  html: string | null;
  attachments: Attachment[];
  /** Provider id for inbound messages, client-generated id for widget and console sends. */
  dedupeKey: string;
  /** Channel-specific metadata (email headers, Telegram message id, SMS segments). */
  meta: Record<string, unknown>;
  delivery: { status: DeliveryStatus; providerId: string | null; error: string | null; updatedAt: Date };
  editedAt: Date | null;
  readAt: Date | null;
  createdAt: Date;
}

const attachment = new Schema<Attachment>(
  { name: String, contentType: String, size: Number, url: String, fileId: String },
  { _id: false },
);

const schema = new Schema<MessageDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    sender: {
      type: { type: String, enum: ['contact', 'agent', 'system'], required: true },
      id: { type: Schema.Types.ObjectId, default: null },
      name: { type: String, default: null },
    },
    private: { type: Boolean, default: false },
    automatic: { type: Boolean, default: false },
    text: { type: String, default: '' },
    html: { type: String, default: null },
    attachments: { type: [attachment], default: [] },
    dedupeKey: { type: String, required: true },
    meta: { type: Schema.Types.Mixed, default: {} },
    delivery: {
      status: { type: String, required: true },
      providerId: { type: String, default: null },
      error: { type: String, default: null },
      updatedAt: { type: Date, default: () => new Date() },
    },
    editedAt: { type: Date, default: null },
    readAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);
// The sender's name and email header addresses are sealed at rest.
sealFields(schema, messageSeal);
// Idempotent insert: a retried provider webhook or client send finds its message.
schema.index({ inboxId: 1, dedupeKey: 1 }, { unique: true });
// History of a conversation in order, and "everything after message X" on reconnect.
schema.index({ conversationId: 1, _id: 1 });
// Delivery status callbacks find the message by the provider's id.
schema.index({ inboxId: 1, 'delivery.providerId': 1 });
// The orphan sweep asks whether any message carries an uploaded file.
schema.index({ 'attachments.fileId': 1 });

export const registerMessage = (db: Connection) => db.model<MessageDoc>('Message', schema);

/**
 * A history page: the newest `limit` messages matching `filter`, oldest first, or with
 * `after` the ones that came after that message (a client catching up).
 */
export async function historyPage(
  Message: Model<MessageDoc>,
  filter: Record<string, unknown>,
  limit: number,
  after?: string | null,
): Promise<MessageDoc[]> {
  if (after)
    return Message.find({ ...filter, _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<MessageDoc[]>();
  const newest = await Message.find(filter).sort({ _id: -1 }).limit(limit).lean<MessageDoc[]>();
  return newest.reverse();
}
