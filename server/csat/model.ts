/**
 * Survey: one satisfaction survey per resolution of a conversation, what it was asked on
 * and for whom (the report's groups), and the customer's answer once given.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import { CHANNEL_KINDS, LOCALES, type ChannelKind, type Locale } from '../domain/types';

export const SATISFIED_FROM = 4;

export interface SurveyDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  /** The resolution this survey asks about: with the conversation, unique. */
  resolvedAt: Date;
  channel: ChannelKind;
  inboxId: Types.ObjectId;
  teamId: Types.ObjectId | null;
  /** Who resolved it: the assignee at the time, else the resolving agent. */
  agentId: Types.ObjectId | null;
  category: string | null;
  contactId: Types.ObjectId;
  locale: Locale;
  askedAt: Date;
  /** The day (YYYY-MM-DD) and month (YYYY-MM) it was asked in the gateway's time zone: the report's periods. */
  day: string;
  month: string;
  /** After this no answer is taken (the rating link, an SMS digit). */
  expiresAt: Date;
  answeredAt: Date | null;
  rating: number | null;
  comment: string | null;
  satisfied: boolean | null;
  /** Dedupe keys of the answer deliveries already applied (a webhook or callback retry). */
  answerKeys: string[];
}

const schema = new Schema<SurveyDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    resolvedAt: { type: Date, required: true },
    channel: { type: String, enum: CHANNEL_KINDS, required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    agentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    category: { type: String, default: null },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    locale: { type: String, enum: LOCALES, default: 'en' },
    askedAt: { type: Date, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    rating: { type: Number, min: 1, max: 5, default: null },
    comment: { type: String, default: null },
    satisfied: { type: Boolean, default: null },
    answerKeys: { type: [String], default: [] },
  },
  { minimize: false },
);
// One survey per resolution: a second process or a retried resolution finds the first.
schema.index({ conversationId: 1, resolvedAt: 1 }, { unique: true });
// Figures: surveys asked in a period ($match on askedAt, then $group).
schema.index({ askedAt: 1 });
// An SMS reply or a resumed widget finds the contact's newest survey on the inbox.
schema.index({ contactId: 1, inboxId: 1, askedAt: -1 });

export const registerSurvey = (db: Connection) => db.model<SurveyDoc>('Survey', schema);
