/**
 * StaffAuditEntry: one thing a member of staff did, or tried — a sign-in, a failed
 * sign-in, a configuration or role change, an export, an erasure. Who, what, on what,
 * when, from where; details never hold a secret or a customer's personal data.
 */
import { Schema, type Connection, type Types } from 'mongoose';

export interface StaffAuditEntryDoc {
  _id: Types.ObjectId;
  at: Date;
  /** The agent who acted; null when nobody was signed in (a failed sign-in). */
  actorId: Types.ObjectId | null;
  /** Dotted, e.g. `auth.login`, `auth.login_failed`, `inbox.updated`, `agent.role_changed`. */
  action: string;
  /** What was acted on, e.g. `{ kind: 'inbox', id }`; null for sign-ins. */
  target: { kind: string; id: string } | null;
  /** The client address the request came from. */
  ip: string | null;
  details: Record<string, unknown>;
}

const schema = new Schema<StaffAuditEntryDoc>(
  {
    at: { type: Date, required: true },
    actorId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    action: { type: String, required: true },
    target: { type: new Schema({ kind: String, id: String }, { _id: false }), default: null },
    ip: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
schema.index({ at: -1 });
schema.index({ actorId: 1, at: -1 });
schema.index({ action: 1, at: -1 });

export const registerStaffAuditEntry = (db: Connection) =>
  db.model<StaffAuditEntryDoc>('StaffAuditEntry', schema, 'staff_audit');
