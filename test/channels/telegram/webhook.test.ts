/**
 * Webhook mode: starting the inbox registers the webhook with a secret; only requests
 * carrying it are taken; each update is answered 200 once stored, and stored once.
 */
import { ALLOWED_UPDATES } from '../../../channels/telegram/updates';
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import { createAgent, eventually } from '../../harness/gateway';
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
let gw: TelegramGateway;
let inbox: InboxDoc;
let hook: string;

beforeAll(async () => {
  bot = await startStandIn();
  gw = await telegramGateway();
  inbox = await telegramInbox(gw, bot, { mode: 'webhook', publicUrl: gw.url });
  hook = `${gw.url}/channels/telegram/${inbox.key}/webhook`;
});
afterAll(async () => {
  await gw.close();
  await bot.close();
});

const post = (body: unknown, secret?: string) =>
  fetch(hook, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: JSON.stringify(body),
  });

it('registers the webhook with a secret and the update kinds it takes when the inbox starts', async () => {
  expect(bot.webhook).toMatchObject({ url: hook, allowedUpdates: [...ALLOWED_UPDATES] });
  expect(bot.webhook?.secretToken).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
  const info = await (await fetch(`${bot.url}/bot${bot.token}/getWebhookInfo`)).json();
  expect(info).toMatchObject({ ok: true, result: { url: hook } });
  // The secret is not shown by the admin API.
  const admin = await createAgent(gw, { role: 'admin' });
  const listed = await (
    await fetch(`${gw.url}/api/inboxes`, { headers: { authorization: `Bearer ${admin.token}` } })
  ).text();
  expect(listed).not.toContain(bot.token);
  expect(listed).not.toContain(bot.webhook!.secretToken!);
});

it('stores what Telegram delivers to the webhook and answers it 200', async () => {
  const user = someUser('Wanda');
  const update = bot.message(user, { text: 'Hi from the webhook' });
  const [m] = await storedCount(gw, inbox, 1);
  expect(m).toMatchObject({ text: 'Hi from the webhook' });
  await eventually(
    async () => bot.webhookDeliveries.find((d) => d.updateId === update.update_id)?.status,
    (s) => s === 200,
  );
});

it('refuses requests without the secret or with a wrong one (403) and stores nothing', async () => {
  const before = (await inboundOf(gw, inbox)).length;
  const user = someUser();
  const update = {
    update_id: 1,
    message: {
      message_id: 9001,
      from: { id: user.id, is_bot: false, first_name: 'Mallory' },
      chat: { id: user.id, type: 'private' },
      date: 1,
      text: 'forged',
    },
  };
  expect((await post(update)).status).toBe(403);
  expect((await post(update, 'wrong-secret')).status).toBe(403);
  expect((await post(update, bot.webhook!.secretToken!.slice(1))).status).toBe(403);
  expect((await inboundOf(gw, inbox)).length).toBe(before);
  expect(await gw.models.Message.countDocuments({ text: 'forged' })).toBe(0);
});

it('stores an update delivered twice once, answering both 200', async () => {
  const user = someUser();
  const update = {
    update_id: 2,
    message: {
      message_id: 9002,
      from: { id: user.id, is_bot: false, first_name: 'Rita' },
      chat: { id: user.id, type: 'private' },
      date: 1,
      text: 'redelivered',
    },
  };
  const secret = bot.webhook!.secretToken!;
  expect((await post(update, secret)).status).toBe(200);
  expect((await post(update, secret)).status).toBe(200);
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id, text: 'redelivered' })).toBe(1);
});

it('answers malformed bodies with 400 and junk updates with 200 without storing them', async () => {
  const secret = bot.webhook!.secretToken!;
  const bad = await fetch(hook, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: '{"update_id":',
  });
  expect(bad.status).toBe(400);
  const before = (await inboundOf(gw, inbox)).length;
  expect((await post({ update_id: 3, poll: { id: 'x' } }, secret)).status).toBe(200);
  expect((await post({ nonsense: true }, secret)).status).toBe(200);
  expect((await inboundOf(gw, inbox)).length).toBe(before);
});

it('answers 5xx while an update cannot be stored, so Telegram delivers it again, and stores it once', async () => {
  bot.filesDown = true;
  const user = someUser();
  const update = bot.message(user, {
    photo: [{ ...bot.file(Buffer.from('jpeg bytes')), width: 90, height: 90 }],
    caption: 'retry me',
  });
  await eventually(
    async () => bot.webhookDeliveries.filter((d) => d.updateId === update.update_id).map((d) => d.status),
    (s) => s.length >= 2 && s.every((x) => x >= 500),
  );
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id, text: 'retry me' })).toBe(0);
  bot.filesDown = false;
  await eventually(
    async () => bot.webhookDeliveries.find((d) => d.updateId === update.update_id && d.status === 200),
    Boolean,
  );
  const stored = await gw.models.Message.find({ inboxId: inbox._id, text: 'retry me' }).lean();
  expect(stored).toHaveLength(1);
  expect(stored[0]!.attachments).toHaveLength(1);
});

it('removes the webhook when the inbox is disabled', async () => {
  const admin = await createAgent(gw, { role: 'admin' });
  const res = await fetch(`${gw.url}/api/inboxes/${String(inbox._id)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: false }),
  });
  expect(res.status).toBe(200);
  expect(bot.webhook).toBeNull();
});
