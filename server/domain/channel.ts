/**
 * The contract between channels and the core. A channel turns provider input into
 * InboundMessages handed to `ctx.ingest` (acknowledging the provider only after it
 * resolves) and delivers OutboundMessages through `send`. It knows nothing of routing
 * or SLA; the core knows nothing of providers.
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import { z, type ZodType } from 'zod';
import type { OpeningHoursView } from '../../shared/protocol';
import type { ContactDoc, Identity } from './contact';
import type { ConversationDoc } from './conversation';
import type { InboxDoc } from './inbox';
import type { MessageDoc } from './message';
import type { Attachment, ChannelKind, DeliveryStatus, Locale } from './types';
import type { Keyring } from '../privacy/keyring';

export interface InboundMessage {
  inboxId: string;
  /** Who wrote: the identity is normalised by the channel (E.164, lower-case email...). */
  from: Identity;
  /** What the channel learned of the customer; `locale` is their language (`en`, `zh-CN`). */
  profile?: { name?: string | null; email?: string | null; phone?: string | null; locale?: Locale | null };
  /** Provider's message id (or the client's id for web chat): stored once per inbox. */
  dedupeKey: string;
  text: string;
  html?: string | null;
  attachments?: Attachment[];
  subject?: string | null;
  /** Thread root for channels with threads (email); a new root opens a new conversation. */
  threadKey?: string | null;
  /** Thread keys this message refers to (In-Reply-To, References), tried before the contact's live conversation. */
  inReplyTo?: string[];
  /** A conversation named by the channel (reply token); used when it belongs to the same contact and inbox. */
  conversationId?: string | null;
  meta?: Record<string, unknown>;
  /** Machine-sent mail (auto-replies, bounces, lists): stored, never answered automatically. */
  automated?: boolean;
  sentAt?: Date;
  /** The category the customer picked before writing (web chat pre-chat form); classifies a new conversation. */
  chosenCategory?: string | null;
}

export interface IngestResult {
  duplicate: boolean;
  messageId: string;
  conversationId: string;
  contactId: string;
  /** The stored message (the one stored before, for a duplicate). */
  message: MessageDoc;
}

/** Everything the core needs to send one message on its channel. */
export interface OutboundMessage {
  inbox: InboxDoc;
  contact: ContactDoc;
  conversation: ConversationDoc;
  message: MessageDoc;
  /** Earlier messages of the conversation that carry provider metadata (email threading). */
  thread: MessageDoc[];
}

export interface SendResult {
  providerId: string | null;
  status: DeliveryStatus;
  /** Channel metadata to store on the message (e.g. the Message-ID of an email). */
  meta?: Record<string, unknown>;
}

/** A satisfaction survey put to the customer after a resolution; its question is the message's text. */
export interface SurveyPrompt {
  surveyId: string;
  question: string;
  expiresAt: Date;
}

/** Where an outbound message carries a survey (set by the core when it asks one). */
const SurveyMeta = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/), expiresAt: z.coerce.date() });

/** The survey an outbound message asks, or null for an ordinary message. */
export function surveyPromptOf(m: Pick<MessageDoc, 'meta' | 'text'>): SurveyPrompt | null {
  const parsed = SurveyMeta.safeParse(m.meta?.survey);
  return parsed.success
    ? { surveyId: parsed.data.id, question: m.text, expiresAt: parsed.data.expiresAt }
    : null;
}

/** A customer's answer as a channel received it (a widget click, a Telegram button). */
export interface SurveyAnswerInput {
  surveyId: string;
  rating: number;
  comment?: string | null;
  /** Who answered, as the channel knows them: it must be the contact the survey asked. */
  from: Identity;
  /** The provider's id of this answer (a callback query id): a redelivery changes nothing. */
  dedupeKey: string;
}

/** A survey and its answer so far. */
export interface SurveyState {
  surveyId: string;
  conversationId: string;
  question: string;
  rating: number | null;
  comment: string | null;
  expiresAt: Date;
  /** The language the survey was asked in. */
  locale: Locale;
}

/** A send that must not be retried (invalid number, unsubscribed, blocked bot, 5xx SMTP). */
export class PermanentSendError extends Error {
  constructor(
    message: string,
    readonly providerCode: string | null = null,
    /** Set when the failure means the contact cannot be reached on this channel at all. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/** A send to retry no sooner than `retryAfterMs` (a provider's 429). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** What the customer-facing side of a conversation should be told about. */
export type CustomerNotice =
  | {
      type: 'status';
      conversation: ConversationDoc;
      /** What the sender knows already (the assignee's name, the place in line), saving a read. */
      known?: { agentName?: string | null; queuePosition?: number | null };
    }
  | { type: 'typing'; conversation: ConversationDoc; typing: boolean; agentName: string | null }
  | { type: 'read'; conversation: ConversationDoc; upTo: string }
  | { type: 'message:updated'; conversation: ConversationDoc; message: MessageDoc }
  /** A solution to the customer's complaint was proposed in `message`; they may accept it. */
  | { type: 'solution'; conversation: ConversationDoc; message: MessageDoc };

/** The core services a channel may use; built by the composition root. */
export interface ChannelContext {
  logger: Logger;
  /** Stores an inbound message durably and runs routing/SLA; acknowledge the provider after it resolves. */
  ingest(msg: InboundMessage): Promise<IngestResult>;
  /** Records a provider's delivery report for an outbound message. */
  updateDelivery(
    inboxId: string,
    providerId: string,
    status: DeliveryStatus,
    error?: string | null,
  ): Promise<void>;
  /** Marks a contact (un)reachable on a channel (SMS opt-out, blocked bot), on the timeline too. */
  setReachability(
    contactId: string,
    channel: ChannelKind,
    reachable: boolean,
    reason: string | null,
  ): Promise<void>;
  /** Reports an inbox's connection state (shown to admins), e.g. bad IMAP credentials. */
  reportInboxState(inboxId: string, status: 'ok' | 'error' | 'stopped', error: string | null): Promise<void>;
  /** The customer is typing (web chat) — shown to the agent. */
  customerTyping(conversationId: string, typing: boolean): Promise<void>;
  /** The customer accepts the solution proposed to their complaint (the widget's "Accept"). */
  acceptSolution(conversationId: string): Promise<void>;
  /** The customer has read the agent's messages up to and including `upTo`. */
  customerRead(conversationId: string, upTo: string): Promise<void>;
  /**
   * The customer edited a message already stored (Telegram edits): replaces its text, marks
   * it edited and shows the change to agents. False when no inbound message has that key.
   */
  editInbound(inboxId: string, dedupeKey: string, text: string): Promise<boolean>;
  /** The contact's address on this channel (a web chat visitor id), or null when it has none. */
  contactAddress(contactId: string, channel: ChannelKind): Promise<string | null>;
  /** Links another identity to an existing contact (Telegram deep link); false if it belongs to someone else. */
  linkIdentity(contactId: string, identity: Identity): Promise<boolean>;
  /** Stores a file (media, attachment) and returns it ready to put on an InboundMessage. */
  /** The `busy` refusal (counted in metrics), for a channel that bounds its own work in flight. */
  busy(channel: ChannelKind): Error;
  attachments: {
    store(data: Buffer, meta: { name: string; contentType: string }): Promise<Attachment>;
    /** Stores a body as it arrives, refused past `maxBytes` (nothing of it kept). */
    upload(
      source: import('node:stream').Readable,
      meta: { name: string; contentType: string },
    ): Promise<Attachment>;
    /** Checks attachments a client sent (uploaded here first) and returns them as stored. */
    resolve(list: { url?: string }[]): Promise<Attachment[]>;
    /** The bytes of a stored attachment (`Attachment.fileId`), to send them on the channel. */
    read(fileId: string): Promise<{ data: Buffer; name: string; contentType: string }>;
    readonly maxBytes: number;
  };
  /**
   * Sends an automatic message from Switchboard into a conversation (an email
   * acknowledgement), stored once per key and marked automatic.
   */
  automatic(conversationId: string, key: string, text: string): Promise<void>;
  /** Satisfaction surveys: answers the channel received, and the survey still open on a conversation. */
  surveys: {
    answer(a: SurveyAnswerInput): Promise<SurveyState>;
    /** The newest unanswered, unexpired survey of the contact's conversations on the inbox, if any. */
    open(inboxId: string, contactId: string): Promise<SurveyState | null>;
  };
  /** Redis, for coordination between gateway processes (a single poller per bot); keys start with `redisPrefix`. */
  redis: import('ioredis').Redis;
  redisPrefix: string;
  /** Reads and writes the channel's durable read position. */
  checkpoints: {
    get(key: string): Promise<Record<string, unknown> | null>;
    set(key: string, value: Record<string, unknown>): Promise<void>;
  };
  /** The Socket.IO server, for channels that speak to browsers directly (web chat). */
  io: IoServer;
  /** The public base URL webhooks are reached at, when configured. */
  publicUrl: string | undefined;
  /** Secret for channel-signed tokens (web chat sessions). */
  authSecret: string;
  /** The keyring sealing customer data; its keyed digests derive stable ids (verified web chat users). */
  keyring: Keyring;
  /** Whether the inbox is open and an agent who would take the chat is online (the widget's promise). */
  availability(inbox: InboxDoc): Promise<{ hours: OpeningHoursView | null; online: boolean }>;
  /** Data access for the web chat channel's session and history queries. */
  models: import('./models').Models;
}

export interface Channel {
  readonly kind: ChannelKind;
  /** Validates an inbox's `settings` when it is saved. */
  readonly settingsSchema: ZodType<Record<string, unknown>>;
  /** Webhook routes, mounted by the core under `/channels/<kind>`. */
  readonly router?: Router;
  /** Messages per second an inbox of this channel may send (the outbound queue's limiter). */
  sendRate?(inbox: InboxDoc): { max: number; durationMs: number } | null;
  /** Called once with the core's services, before any inbox starts. */
  init(ctx: ChannelContext): Promise<void>;
  /** Connects an inbox (IMAP IDLE, webhook registration, polling); idempotent. */
  startInbox(inbox: InboxDoc): Promise<void>;
  stopInbox(inboxId: string): Promise<void>;
  send(out: OutboundMessage): Promise<SendResult>;
  /**
   * Sends a satisfaction survey in the channel's own form (buttons, an inline rating);
   * without it the survey goes out as `send` of its text (a link, "reply 1–5").
   */
  sendSurvey?(out: OutboundMessage, survey: SurveyPrompt): Promise<SendResult>;
  /** Optional customer-facing notices (status, typing, read receipts). */
  notify?(notice: CustomerNotice): Promise<void>;
  /** Stops every inbox and connection of the channel. */
  close(): Promise<void>;
}
