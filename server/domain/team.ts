/** Team: a group of agents that inboxes and transfers route to. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  description: string;
  createdAt: Date;
}

const schema = new Schema<TeamDoc>(
  { name: { type: String, required: true }, description: { type: String, default: '' } },
  { timestamps: true },
);
// Admin lookups and uniqueness of team names.
schema.index({ name: 1 }, { unique: true });

export const registerTeam = (db: Connection) => db.model<TeamDoc>('Team', schema);
