/**
 * The email channel: each inbox reads its mailbox over IMAP (IDLE) and answers over
 * SMTP. Intake normalises each email, stores it through ingest and only then
 * acknowledges it on the server; replies thread into the customer's mail client.
 */
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Logger } from 'pino';
import type {
  Channel,
  ChannelContext,
  IngestResult,
  OutboundMessage,
  SendResult,
} from '../../server/domain/channel';
import type { ConversationDoc } from '../../server/domain/conversation';
import { InvalidInput } from '../../server/domain/errors';
import type { InboxDoc } from '../../server/domain/inbox';
import { ReplyTokens } from './addresses';
import { readEmail } from './inbound';
import { MailboxWatcher, StoreFailed, type MailSource, type WatcherOptions } from './mailbox';
import { sendEmail, smtpTransport } from './outbound';
import { emailSettings, type EmailSettings } from './settings';
import { InboxStates } from './state';
import { Lease } from '../../server/coordination/lease';

export interface EmailChannelOptions extends Partial<WatcherOptions> {
  /** Longest text the core stores (MAX_MESSAGE_LENGTH). */
  maxTextLength: number;
}

export interface EmailChannel extends Channel {
  /** Whether this process reads the inbox's mailbox now (one process does at a time). */
  isWatching(inboxId: string): boolean;
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const watcherOptions: WatcherOptions = {
    reconnectMinMs: options.reconnectMinMs ?? 1000,
    reconnectMaxMs: options.reconnectMaxMs ?? 5 * 60_000,
    authRetryMs: options.authRetryMs ?? 10 * 60_000,
    idleRestartMs: options.idleRestartMs ?? 5 * 60_000,
    leaseMs: options.leaseMs ?? 30_000,
  };
  let ctx: ChannelContext | null = null;
  let tokens: ReplyTokens | null = null;
  let logger: Logger | null = null;
  let states: InboxStates | null = null;
  const watchers = new Map<string, MailboxWatcher>();
  const transports = new Map<
    string,
    { fingerprint: string; transport: Transporter<SMTPTransport.SentMessageInfo> }
  >();

  const need = () => {
    if (!ctx || !tokens || !logger || !states) throw new Error('email channel used before init');
    return { ctx, tokens, logger, states };
  };

  /** Sends the inbox's acknowledgement once per stay in the queue (new or reopened conversation). */
  async function acknowledge(c: ChannelContext, settings: EmailSettings, res: IngestResult): Promise<void> {
    const conv = await c.models.Conversation.findById(res.conversationId).lean<ConversationDoc>();
    if (!conv || conv.status !== 'queued' || !conv.queuedAt) return;
    const text = settings.autoAcknowledge.text
      .replace(/\{number\}/g, String(conv.number))
      .replace(/\{subject\}/g, conv.subject ?? '');
    await c.automatic(
      res.conversationId,
      `email-ack:${res.conversationId}:${new Date(conv.queuedAt).getTime()}`,
      text,
    );
  }

  async function take(
    inbox: InboxDoc,
    settings: EmailSettings,
    raw: Buffer,
    source: MailSource,
  ): Promise<void> {
    const { ctx: c, tokens: t, logger: log } = need();
    const inboxId = String(inbox._id);
    let res: IngestResult;
    let automated = false;
    try {
      const reading = await readEmail(raw, {
        inboxId,
        settings,
        tokens: t,
        attachments: c.attachments,
        maxTextLength: options.maxTextLength,
        source,
        alreadyStored: async (dedupeKey) => (await c.models.Message.exists({ inboxId, dedupeKey })) !== null,
      });
      if (reading.kind === 'ignored') {
        log.info(
          { inboxId, uid: source.uid, messageId: reading.messageId, reason: reading.reason },
          'email not ingested',
        );
        return;
      }
      automated = reading.message.automated === true;
      res = await c.ingest(reading.message);
    } catch (err) {
      if (err instanceof InvalidInput) {
        // Junk the core refuses (no dedupe key, unreadable): acknowledged so it cannot block the mailbox.
        log.warn({ inboxId, uid: source.uid, reason: err.message }, 'email refused by ingest');
        return;
      }
      throw new StoreFailed(`Mail could not be stored and will be read again: ${(err as Error).message}`);
    }
    if (settings.autoAcknowledge.enabled && !automated && !res.duplicate) {
      await acknowledge(c, settings, res).catch((err: unknown) =>
        log.error({ err, inboxId, conversationId: res.conversationId }, 'email acknowledgement not queued'),
      );
    }
  }

  function transportFor(inbox: InboxDoc, settings: EmailSettings) {
    const id = String(inbox._id);
    const fingerprint = JSON.stringify(settings.smtp);
    const known = transports.get(id);
    if (known?.fingerprint === fingerprint) return known.transport;
    known?.transport.close();
    const transport = smtpTransport(settings.smtp);
    transports.set(id, { fingerprint, transport });
    return transport;
  }

  async function stopInbox(inboxId: string): Promise<void> {
    const w = watchers.get(inboxId);
    watchers.delete(inboxId);
    transports.get(inboxId)?.transport.close();
    transports.delete(inboxId);
    await w?.stop();
  }

  return {
    kind: 'email',
    settingsSchema: emailSettings,
    sendRate: () => ({ max: 10, durationMs: 1000 }),
    async init(c) {
      ctx = c;
      tokens = new ReplyTokens(c.authSecret);
      logger = c.logger.child({ channel: 'email' });
      states = new InboxStates(c, logger);
    },
    async startInbox(inbox: InboxDoc) {
      const { ctx: c, logger: log, states: s } = need();
      const id = String(inbox._id);
      await stopInbox(id);
      const settings = emailSettings.parse(inbox.settings);
      watchers.set(
        id,
        new MailboxWatcher(
          id,
          settings,
          c,
          log,
          watcherOptions,
          new Lease(c.redis, `${c.redisPrefix}:email:mailbox:${id}`, watcherOptions.leaseMs),
          (raw, source) => take(inbox, settings, raw, source),
          (reason) => s.report(id, 'IMAP', reason),
        ),
      );
    },
    stopInbox,
    isWatching: (inboxId: string) => watchers.get(inboxId)?.watching ?? false,
    async send(out: OutboundMessage): Promise<SendResult> {
      const { ctx: c, tokens: t, states: s } = need();
      const parsed = emailSettings.safeParse(out.inbox.settings);
      if (!parsed.success) throw new Error('the email inbox settings are invalid');
      const id = String(out.inbox._id);
      return sendEmail(out, parsed.data, {
        transport: transportFor(out.inbox, parsed.data),
        tokens: t,
        attachments: c.attachments,
        report: (problem) => s.note(id, 'SMTP', problem),
      });
    },
    async close() {
      await Promise.all([...watchers.keys()].map((id) => stopInbox(id)));
    },
  };
}
