/**
 * SearchEntry: the search index. One entry per message (its text's terms) and one per
 * contact (the terms of name, email and phone), computed when they are written, so a
 * search reads this index, never message texts or contact fields.
 */
import { Schema, type Connection, type Types } from 'mongoose';

export interface SearchEntryDoc {
  /** The message's id, or `contact:<id>` for a contact's entry. */
  _id: string;
  kind: 'message' | 'contact';
  conversationId: Types.ObjectId | null;
  contactId: Types.ObjectId;
  inboxId: Types.ObjectId | null;
  terms: string[];
  /** When the message was stored (or the contact indexed). */
  at: Date;
}

const schema = new Schema<SearchEntryDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['message', 'contact'], required: true },
    conversationId: { type: Schema.Types.ObjectId, default: null },
    contactId: { type: Schema.Types.ObjectId, required: true },
    inboxId: { type: Schema.Types.ObjectId, default: null },
    terms: { type: [String], default: [] },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// A search: entries holding every query term (multikey on terms), newest first.
schema.index({ terms: 1, at: -1 });
// Catching up at start: the newest message entry.
schema.index({ kind: 1, at: -1 });

export const registerSearchEntry = (db: Connection) => db.model<SearchEntryDoc>('SearchEntry', schema);
