/** ContactNote: what agents write down about a customer, one text per contact, shown in the console's profile. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface ContactNoteDoc {
  _id: Types.ObjectId;
  contactId: Types.ObjectId;
  text: string;
  updatedBy: Types.ObjectId | null;
  updatedAt: Date;
}

const schema = new Schema<ContactNoteDoc>({
  contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
  text: { type: String, default: '' },
  updatedBy: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  updatedAt: { type: Date, required: true },
});
// The profile reads and writes a contact's one note by its contact.
schema.index({ contactId: 1 }, { unique: true });

export const registerContactNote = (db: Connection) => db.model<ContactNoteDoc>('ContactNote', schema);
