/** Inbox: one entry point of one channel (a widget, a mailbox, a number, a bot) and its SLA policy. */
import { Schema, type Connection, type Types } from 'mongoose';
import { sealFields } from '../privacy/plugin';
import { inboxSeal } from '../privacy/specs';
import { CHANNEL_KINDS, LOCALES, type ChannelKind, type Locale } from './types';

export interface SlaPolicy {
  pickupTargetMs?: number;
  replyTargetMs?: number;
}

export interface InboxDoc {
  _id: Types.ObjectId;
  name: string;
  channel: ChannelKind;
  /** Public identifier used in the widget snippet and webhook paths. */
  key: string;
  settings: Record<string, unknown>;
  teamId: Types.ObjectId | null;
  /** Opening hours its business-time clocks count; null runs around the clock. */
  calendarId: Types.ObjectId | null;
  /** Where escalated conversations go (a second-line team); none: escalation only alerts. */
  secondLineTeamId: Types.ObjectId | null;
  /** Language of the texts Switchboard sends customers when their own is unknown. */
  locale: Locale;
  /** Tell customers who write while the calendar is closed when the team opens again. */
  outOfHoursReply: boolean;
  sla: SlaPolicy;
  /** Satisfaction surveys after resolution: null follows CSAT_ENABLED. */
  csat: { enabled: boolean | null };
  enabled: boolean;
  /** When an admin deleted an inbox that has conversations: it is kept, disabled, for their history. */
  archivedAt: Date | null;
  state: { status: 'ok' | 'error' | 'stopped'; error: string | null; updatedAt: Date | null };
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<InboxDoc>(
  {
    name: { type: String, required: true },
    channel: { type: String, enum: CHANNEL_KINDS, required: true },
    key: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, default: {} },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    calendarId: { type: Schema.Types.ObjectId, ref: 'Calendar', default: null },
    secondLineTeamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    locale: { type: String, enum: LOCALES, default: 'en' },
    outOfHoursReply: { type: Boolean, default: true },
    sla: {
      pickupTargetMs: { type: Number, min: 1 },
      replyTargetMs: { type: Number, min: 1 },
    },
    csat: { enabled: { type: Boolean, default: null } },
    enabled: { type: Boolean, default: true },
    archivedAt: { type: Date, default: null },
    state: {
      status: { type: String, enum: ['ok', 'error', 'stopped'], default: 'ok' },
      error: { type: String, default: null },
      updatedAt: { type: Date, default: null },
    },
  },
  { timestamps: true, minimize: false },
);
// Channel credentials in settings are sealed at rest.
sealFields(schema, inboxSeal);
// Widget sessions and webhooks find their inbox by its public key.
schema.index({ key: 1 }, { unique: true });
// Channel start-up lists the enabled inboxes of a channel.
schema.index({ channel: 1, enabled: 1 });
// Deleting a calendar asks whether an inbox still uses it.
schema.index({ calendarId: 1 });

export const registerInbox = (db: Connection) => db.model<InboxDoc>('Inbox', schema);
