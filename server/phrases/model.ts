/** ForbiddenPhrase (禁用语): words agents must not write to customers; the composer warns before sending one. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface ForbiddenPhraseDoc {
  _id: Types.ObjectId;
  phrase: string;
  /** The phrase folded (NFKC, lower case, single spaces): one entry per phrase, whatever its spelling. */
  key: string;
  /** Why it is forbidden or what to say instead, shown with the warning. */
  hint: string | null;
  createdBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ForbiddenPhraseDoc>(
  {
    phrase: { type: String, required: true },
    key: { type: String, required: true },
    hint: { type: String, default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { timestamps: true },
);
// The same phrase is listed once (a second POST of "Calm Down" for "calm down" is refused).
schema.index({ key: 1 }, { unique: true });

export const registerForbiddenPhrase = (db: Connection) =>
  db.model<ForbiddenPhraseDoc>('ForbiddenPhrase', schema);
