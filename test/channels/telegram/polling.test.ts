/**
 * Polling mode: the gateway takes messages with getUpdates, stores each once, and moves
 * the offset only past what it stored, so a restart loses and doubles nothing.
 */
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import { eventually, uniqueDbName } from '../../harness/gateway';
import {
  inboundOf,
  someUser,
  startStandIn,
  storedCount,
  telegramGateway,
  telegramInbox,
  type TelegramGateway,
} from './setup';

let bot: TelegramStandIn;
beforeAll(async () => {
  bot = await startStandIn();
});
afterAll(async () => {
  await bot.close();
});

describe('polling', () => {
  const dbName = uniqueDbName('tgpoll');
  let gw: TelegramGateway;
  let inbox: InboxDoc;
  beforeAll(async () => {
    gw = await telegramGateway({ dbName });
    inbox = await telegramInbox(gw, bot);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('stores a customer message in a queued conversation and confirms it to Telegram only after', async () => {
    const user = someUser('Tanya');
    const update = bot.message(user, { text: 'Hello, where is my parcel?' });
    const [m] = await storedCount(gw, inbox, 1);
    expect(m).toMatchObject({
      text: 'Hello, where is my parcel?',
      dedupeKey: `tg:${user.id}:${update.message!.message_id}`,
    });
    expect(m!.meta).toMatchObject({ chatId: user.id, chatType: 'private' });
    const conv = await gw.models.Conversation.findById(m!.conversationId).lean();
    expect(conv).toMatchObject({ channel: 'telegram', status: 'queued' });
    const contact = await gw.models.Contact.findById(conv!.contactId).lean();
    expect(contact?.name).toBe('Tanya');
    expect(contact?.identities).toEqual([{ channel: 'telegram', address: String(user.id) }]);
    const checkpoint = await eventually(
      () => gw.models.ChannelCheckpoint.findOne({ key: `${String(inbox._id)}:telegram:offset` }).lean(),
      (c) => c?.value.offset === update.update_id + 1,
    );
    expect(checkpoint?.value.offset).toBe(update.update_id + 1);
    // The next long poll confirmed the update: Telegram no longer holds it.
    await eventually(
      async () => bot.pendingUpdates,
      (n) => n === 0,
    );
  });

  it('stores a message Telegram hands out twice only once', async () => {
    const user = someUser();
    const first = bot.message(user, { text: 'once' });
    // The same message again under a new update id, as after a lost confirmation.
    bot.push({ message: first.message });
    bot.message(user, { text: 'after' });
    const before = (await inboundOf(gw, inbox)).length;
    await storedCount(gw, inbox, before + 2);
    await eventually(
      async () => bot.pendingUpdates,
      (n) => n === 0,
    );
    const texts = (await inboundOf(gw, inbox)).map((m) => m.text);
    expect(texts.filter((t) => t === 'once')).toHaveLength(1);
    expect(texts.filter((t) => t === 'after')).toHaveLength(1);
  });

  it('loses nothing and doubles nothing when the gateway restarts mid-stream', async () => {
    const user = someUser();
    const before = (await inboundOf(gw, inbox)).length;
    for (let i = 0; i < 8; i++) bot.message(user, { text: `burst ${i}` });
    await storedCount(gw, inbox, before + 3);
    await gw.close();
    for (let i = 8; i < 14; i++) bot.message(user, { text: `burst ${i}` });
    gw = await telegramGateway({ dbName });
    const all = await storedCount(gw, inbox, before + 14, 20_000);
    await eventually(
      async () => bot.pendingUpdates,
      (n) => n === 0,
    );
    const burst = (await inboundOf(gw, inbox)).filter((m) => m.text.startsWith('burst ')).map((m) => m.text);
    expect(new Set(burst).size).toBe(14);
    expect(burst).toHaveLength(14);
    expect(all.length).toBe(before + 14);
  });
});

describe('a bot token Telegram rejects', () => {
  it('shows the inbox in error with a clear reason and retries with backoff, not in a tight loop', async () => {
    const gw = await telegramGateway();
    try {
      const before = bot.unauthorized;
      const inbox = await telegramInbox(gw, bot, { botToken: `${bot.botId}:${'x'.repeat(35)}` });
      const state = await eventually(
        async () => (await gw.models.Inbox.findById(inbox._id).lean())?.state,
        (s) => s?.status === 'error' && /getUpdates|rejected the bot token/.test(s.error ?? ''),
      );
      expect(state?.error).toMatch(/rejected the bot token \(401 Unauthorized\)/);
      expect(state?.error).not.toContain('x'.repeat(35));
      const t0 = bot.unauthorized;
      await new Promise((r) => setTimeout(r, 3000));
      // 1 s, 2 s, 2 s...: a handful of attempts in 3 s, never hundreds.
      expect(bot.unauthorized - t0).toBeLessThanOrEqual(4);
      expect(bot.unauthorized - before).toBeGreaterThan(0);
    } finally {
      await gw.close();
    }
  });
});
