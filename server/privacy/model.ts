/** ContactErasure: the tombstone of an erased contact — when, by whom, how much went; no personal data. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface ContactErasureDoc {
  _id: Types.ObjectId;
  /** The id the contact had (nothing else of theirs remains). */
  contactId: Types.ObjectId;
  /** The admin who asked for it; null for the retention sweep. */
  byAgentId: Types.ObjectId | null;
  at: Date;
  /** Documents deleted, by kind. */
  deleted: Record<string, number>;
}

const schema = new Schema<ContactErasureDoc>(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    byAgentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    at: { type: Date, required: true },
    deleted: { type: Schema.Types.Mixed, default: {} },
  },
  { minimize: false },
);
// "Was this contact erased?" when an id from an old export or link is looked up.
schema.index({ contactId: 1 });

export const registerContactErasure = (db: Connection) =>
  db.model<ContactErasureDoc>('ContactErasure', schema);
