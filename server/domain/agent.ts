/** Agent: a person who answers conversations (agent), watches the floor (supervisor) or configures it (admin). */
import { Schema, type Connection, type Types } from 'mongoose';
import { AGENT_ROLES, PRESENCES, type AgentRole, type Presence } from './types';

export interface AgentDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string;
  role: AgentRole;
  capacity: number;
  skills: string[];
  teamIds: Types.ObjectId[];
  presence: Presence;
  presenceChangedAt: Date;
  lastOfferedAt: Date | null;
  active: boolean;
  /** Moves on with every password or role change; tokens issued before it are refused (absent: 0). */
  sessionEpoch?: number;
  createdAt: Date;
}

const schema = new Schema<AgentDoc>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: AGENT_ROLES, default: 'agent' },
    capacity: { type: Number, min: 0, default: 5 },
    skills: { type: [String], default: [] },
    teamIds: { type: [Schema.Types.ObjectId], ref: 'Team', default: [] },
    presence: { type: String, enum: PRESENCES, default: 'offline' },
    presenceChangedAt: { type: Date, default: () => new Date() },
    lastOfferedAt: { type: Date, default: null },
    active: { type: Boolean, default: true },
    sessionEpoch: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// Login by email.
schema.index({ email: 1 }, { unique: true });
// The router lists online agents.
schema.index({ presence: 1, active: 1 });

export const registerAgent = (db: Connection) => db.model<AgentDoc>('Agent', schema);
