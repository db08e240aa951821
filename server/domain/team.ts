/** Team: a group of agents that inboxes and transfers route to; first line or second line (escalations). */
import { Schema, type Connection, type Types } from 'mongoose';
import { TEAM_TIERS, type TeamTier } from './types';

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  description: string;
  tier: TeamTier;
  createdAt: Date;
}

const schema = new Schema<TeamDoc>(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    tier: { type: String, enum: TEAM_TIERS, default: 'first' },
  },
  { timestamps: true },
);
// Admin lookups and uniqueness of team names.
schema.index({ name: 1 }, { unique: true });

export const registerTeam = (db: Connection) => db.model<TeamDoc>('Team', schema);
