/**
 * CannedResponse (标准话术): a standard phrase an agent inserts into a reply by its
 * shortcut, for every team (global) or for one team.
 */
import { Schema, type Connection, type Types } from 'mongoose';

export interface CannedResponseDoc {
  _id: Types.ObjectId;
  title: string;
  /** Lower-case; typed after "/" in the composer. Unique within its scope. */
  shortcut: string;
  text: string;
  /** The team it belongs to; null: every team. */
  teamId: Types.ObjectId | null;
  createdBy: Types.ObjectId | null;
  updatedBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CannedResponseDoc>(
  {
    title: { type: String, required: true },
    shortcut: { type: String, required: true },
    text: { type: String, required: true },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { timestamps: true },
);
// One shortcut per scope; the list an agent gets is "global or one of my teams" by this index.
schema.index({ teamId: 1, shortcut: 1 }, { unique: true });

export const registerCannedResponse = (db: Connection) =>
  db.model<CannedResponseDoc>('CannedResponse', schema);
