/** Contact: one customer, with an identity per channel (phone, email, Telegram user, widget visitor). */
import { Schema, type Connection, type Types } from 'mongoose';
import { contactSeal, identitySeal } from '../privacy/specs';
import { sealFields } from '../privacy/plugin';
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
  /** The site's own id of the customer, proven by the inbox's identity signature; null for anonymous contacts. */
  externalId: string | null;
  /** True once a site proved who this customer is (a signed identity). */
  verified: boolean;
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
    externalId: { type: String, default: null },
    verified: { type: Boolean, default: false },
  },
  { timestamps: true, minimize: false },
);
// Sealed at rest; console search finds contacts by exact email, phone or name through their blind indexes.
sealFields(schema, contactSeal);
schema.index({ emailIndex: 1 });
schema.index({ phoneIndex: 1 });
schema.index({ nameIndex: 1 });

export interface ContactIdentityDoc {
  _id: Types.ObjectId;
  /** `${channel}:${address}` (stored as its blind index): one identity belongs to exactly one contact. */
  key: string;
  contactId: Types.ObjectId;
}

const identitySchema = new Schema<ContactIdentityDoc>({
  key: { type: String, required: true },
  contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
});
sealFields(identitySchema, identitySeal);
// Ingest resolves an inbound sender to its contact; the unique key makes that atomic.
identitySchema.index({ key: 1 }, { unique: true });
// Profile view lists a contact's identities.
identitySchema.index({ contactId: 1 });

export const registerContact = (db: Connection) => db.model<ContactDoc>('Contact', schema);
export const registerContactIdentity = (db: Connection) =>
  db.model<ContactIdentityDoc>('ContactIdentity', identitySchema);
