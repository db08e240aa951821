/**
 * The Telegram channel: one bot per inbox, taking updates by webhook or by long polling
 * (one poller per bot across gateway processes), and sending agent replies through the
 * Bot API with telegraf. See docs/channels/telegram.md.
 */
import type { Telegram } from 'telegraf';
import type {
  Channel,
  ChannelContext,
  CustomerNotice,
  OutboundMessage,
  SendResult,
  SurveyPrompt,
} from '../../server/domain/channel';
import { DomainError } from '../../server/domain/errors';
import type { InboxDoc } from '../../server/domain/inbox';
import { botClient, describeFailure } from './client';
import { linkToken, linkUrl } from './deeplink';
import type { BotInbox } from './inbound';
import { Lease } from '../../server/coordination/lease';
import { sendReply, sendTyping, type OutboundTiming } from './outbound';
import { Poller } from './poller';
import { telegramRouter } from './routes';
import { botIdOf, telegramSettings, type TelegramSettings } from './settings';
import { sendSurvey } from './survey';
import { ALLOWED_UPDATES } from './updates';
import { ensureWebhookSecret } from './webhook';

export { linkToken, linkUrl } from './deeplink';

export interface TelegramChannelOptions extends Partial<OutboundTiming> {
  /** How long a poller's lease lasts unrenewed: a dead poller's bot is taken over within about this. */
  pollerLeaseMs?: number;
  /** Longest wait between retries of a failing poll. */
  maxBackoffMs?: number;
  /** How long a deep link stays valid. */
  linkTtlS?: number;
}

export type TelegramChannel = Channel & {
  /** Whether this process polls the inbox's bot right now. */
  isPolling(inboxId: string): boolean;
  /** A t.me link that joins whoever opens it on Telegram to the contact. */
  linkFor(inboxId: string, contactId: string): Promise<string>;
};

class BotUnreachable extends DomainError {
  constructor(reason: string) {
    super('bot_unreachable', `The Telegram bot cannot be reached right now: ${reason}`, 503);
  }
}

interface RunningInbox {
  bot: BotInbox;
  key: string;
  username: string | null;
  poller: Poller | null;
}

export function createTelegramChannel(options: TelegramChannelOptions = {}): TelegramChannel {
  const leaseMs = options.pollerLeaseMs ?? 15_000;
  const timing: OutboundTiming = {
    chatGapMs: options.chatGapMs ?? 1000,
    typingGapMs: options.typingGapMs ?? 4000,
  };
  const linkTtlS = options.linkTtlS ?? 24 * 3600;
  let context: ChannelContext | null = null;
  const running = new Map<string, RunningInbox>();
  const clients = new Map<string, Telegram>();

  const ctx = () => {
    if (!context) throw new Error('Telegram channel used before init');
    return context;
  };
  const bot = (inboxId: string, settings: TelegramSettings): BotInbox => {
    const id = `${settings.apiRoot} ${settings.botToken}`;
    let telegram = clients.get(id);
    if (!telegram) clients.set(id, (telegram = botClient(settings)));
    return { inboxId, settings, telegram };
  };
  const botOfInbox = (inbox: Pick<InboxDoc, '_id' | 'settings'>) =>
    bot(String(inbox._id), telegramSettings.parse(inbox.settings ?? {}));
  const username = async (inboxId: string, settings: TelegramSettings): Promise<string> => {
    const known = running.get(inboxId)?.username;
    if (known) return known;
    try {
      const me = await bot(inboxId, settings).telegram.getMe();
      const r = running.get(inboxId);
      if (r) r.username = me.username;
      return me.username;
    } catch (err) {
      throw new BotUnreachable(describeFailure(err));
    }
  };

  async function stopInbox(inboxId: string, unregister: boolean): Promise<void> {
    const r = running.get(inboxId);
    if (!r) return;
    running.delete(inboxId);
    await r.poller?.stop();
    if (unregister && r.bot.settings.mode === 'webhook')
      await r.bot.telegram
        .deleteWebhook()
        .catch((err: unknown) =>
          ctx().logger.warn(
            { inboxId, reason: describeFailure(err) },
            'could not remove the Telegram webhook',
          ),
        );
  }

  return {
    kind: 'telegram',
    settingsSchema: telegramSettings,
    router: telegramRouter({ ctx, bot, username, linkTtlS }),
    sendRate: () => ({ max: 30, durationMs: 1000 }),
    async init(c) {
      context = c;
    },
    async startInbox(inbox) {
      const c = ctx();
      const inboxId = String(inbox._id);
      await stopInbox(inboxId, false);
      const b = botOfInbox(inbox);
      const r: RunningInbox = { bot: b, key: inbox.key, username: null, poller: null };
      running.set(inboxId, r);
      const log = c.logger.child({ inboxId, channel: 'telegram' });
      let failure: string | null = null;
      try {
        r.username = (await b.telegram.getMe()).username;
      } catch (err) {
        failure = describeFailure(err);
        if (b.settings.mode === 'webhook') throw new Error(failure);
        log.warn({ reason: failure }, 'getMe failed; polling will keep trying');
      }
      if (b.settings.mode === 'webhook') {
        const base = b.settings.publicUrl ?? c.publicUrl;
        if (!base)
          throw new Error('Webhook mode needs a public URL: set publicUrl on the inbox or PUBLIC_URL.');
        const url = `${base.replace(/\/+$/, '')}/channels/telegram/${inbox.key}/webhook`;
        const secret = await ensureWebhookSecret(c, inboxId);
        await b.telegram
          .setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] })
          .catch((err: unknown) => {
            throw new Error(describeFailure(err));
          });
        log.info({ url }, 'Telegram webhook registered');
      } else {
        // getUpdates is refused while a webhook is set; pending updates are kept.
        await b.telegram.deleteWebhook().catch(() => undefined);
        const lease = new Lease(
          c.redis,
          `${c.redisPrefix}:telegram:poller:${botIdOf(b.settings.botToken)}`,
          leaseMs,
        );
        r.poller = new Poller(c, b, lease, { maxBackoffMs: options.maxBackoffMs ?? 60_000 });
        r.poller.start();
      }
      await c.reportInboxState(inboxId, failure ? 'error' : 'ok', failure);
    },
    async stopInbox(inboxId) {
      await stopInbox(inboxId, true);
      await ctx().reportInboxState(inboxId, 'stopped', null);
    },
    async send(out: OutboundMessage): Promise<SendResult> {
      const b = botOfInbox(out.inbox);
      return sendReply(ctx(), b.telegram, botIdOf(b.settings.botToken), out, timing);
    },
    async sendSurvey(out: OutboundMessage, survey: SurveyPrompt): Promise<SendResult> {
      const b = botOfInbox(out.inbox);
      return sendSurvey(ctx(), b.telegram, botIdOf(b.settings.botToken), out, survey, timing);
    },
    async notify(n: CustomerNotice) {
      if (n.type !== 'typing' || !n.typing) return;
      const inbox = await ctx().models.Inbox.findById(n.conversation.inboxId).lean<InboxDoc>();
      if (!inbox) return;
      const b = botOfInbox(inbox);
      await sendTyping(ctx(), b.telegram, botIdOf(b.settings.botToken), n.conversation, timing);
    },
    async close() {
      // Leaves webhooks registered: other gateway processes (or this one, restarted) go on serving them.
      await Promise.all([...running.keys()].map((id) => stopInbox(id, false)));
    },
    isPolling: (inboxId) => running.get(inboxId)?.poller?.polling ?? false,
    async linkFor(inboxId, contactId) {
      const inbox = await ctx().models.Inbox.findById(inboxId).lean<InboxDoc>();
      if (!inbox || inbox.channel !== 'telegram') throw new Error('not a Telegram inbox');
      const settings = telegramSettings.parse(inbox.settings ?? {});
      const name = await username(inboxId, settings);
      return linkUrl(name, linkToken(ctx().authSecret, { inboxId, contactId, ttlS: linkTtlS }));
    },
  };
}
