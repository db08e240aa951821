/** Contact: one customer, with an identity per channel (phone, email, Telegram user, widget visitor). */
import { Schema, type Connection, type Types } from 'mongoose';
import { CHANNEL_KINDS, type ChannelKind } from './types';

export interface Identity {
  channel: ChannelKind;
  /** Normalised address: E.164 phone, lower-case email, Telegram user id, widget visitor id. */
  address: string;
}

export interface ContactDoc {
  _id: Types.ObjectId;
  name: string | null;
  email: string | null;
  phone: string | null;
  identities: Identity[];
  /** Per-channel reachability: SMS opt-out, Telegram bot blocked. */
  reachability: Record<string, { reachable: boolean; reason: string | null; updatedAt: Date }>;
  attributes: Record<string, unknown>;
  vip: boolean;
  /** The agent a VIP's conversations go to first when that agent has room; null for none. */
  dedicatedAgentId: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ContactDoc>(
  {
    name: { type: String, default: null },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    identities: {
      type: [{ _id: false, channel: { type: String, enum: CHANNEL_KINDS }, address: String }],
      default: [],
    },
    reachability: { type: Schema.Types.Mixed, default: {} },
    attributes: { type: Schema.Types.Mixed, default: {} },
    vip: { type: Boolean, default: false },
    dedicatedAgentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { timestamps: true, minimize: false },
);
// Console search of contacts by email or phone.
schema.index({ email: 1 });
schema.index({ phone: 1 });

export interface ContactIdentityDoc {
  _id: Types.ObjectId;
  /** `${channel}:${address}`: one identity belongs to exactly one contact. */
  key: string;
  contactId: Types.ObjectId;
}

const identitySchema = new Schema<ContactIdentityDoc>({
  key: { type: String, required: true },
  contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
});
// Ingest resolves an inbound sender to its contact; the unique key makes that atomic.
identitySchema.index({ key: 1 }, { unique: true });
// Profile view lists a contact's identities.
identitySchema.index({ contactId: 1 });

export const registerContact = (db: Connection) => db.model<ContactDoc>('Contact', schema);
export const registerContactIdentity = (db: Connection) =>
  db.model<ContactIdentityDoc>('ContactIdentity', identitySchema);
