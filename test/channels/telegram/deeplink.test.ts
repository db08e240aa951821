/**
 * Deep links: a web chat visitor asks for a t.me link and, opening it, continues on
 * Telegram as the same contact; a forged or expired link starts a new contact instead.
 */
import { linkToken, readLinkToken } from '../../../channels/telegram/deeplink';
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import type { MessageDoc } from '../../../server/domain/message';
import {
  call,
  connectVisitor,
  createInbox,
  eventually,
  openVisitorSession,
  TEST_SECRET,
} from '../../harness/gateway';
import { someUser, startStandIn, telegramGateway, telegramInbox, type TelegramGateway } from './setup';

let bot: TelegramStandIn;
let gw: TelegramGateway;
let inbox: InboxDoc;
let web: InboxDoc;

beforeAll(async () => {
  bot = await startStandIn();
  gw = await telegramGateway();
  inbox = await telegramInbox(gw, bot);
  web = await createInbox(gw, { channel: 'webchat' });
});
afterAll(async () => {
  await gw.close();
  await bot.close();
});

const askLink = (token: string) =>
  fetch(`${gw.url}/channels/telegram/${inbox.key}/link`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });

const storedFrom = (userId: number) =>
  eventually(
    () => gw.models.Message.findOne({ inboxId: inbox._id, 'meta.chatId': userId }).lean<MessageDoc>(),
    (m) => m !== null,
  ) as Promise<MessageDoc>;

it('links the Telegram user who opens the link to the visitor’s contact', async () => {
  const session = await openVisitorSession(gw.url, web.key, { name: 'Vera' });
  const visitor = await connectVisitor(gw.url, session.token);
  const first = await call<{ conversationId: string }>(visitor, 'message:send', {
    clientId: 'w1',
    text: 'Can I continue on Telegram?',
  });
  visitor.close();
  const webConv = await gw.models.Conversation.findById(first.conversationId).lean();

  const res = await askLink(session.token);
  expect(res.status).toBe(200);
  const { url } = (await res.json()) as { url: string };
  const m = /^https:\/\/t\.me\/switchboard_test_bot\?start=([A-Za-z0-9_-]+)$/.exec(url);
  expect(m).not.toBeNull();
  expect(m![1]!.length).toBeLessThanOrEqual(64);

  const user = someUser('Vera T');
  bot.message(user, { text: `/start ${m![1]}` });
  const stored = await storedFrom(user.id);
  expect(stored.text).toBe('/start');
  const conv = await gw.models.Conversation.findById(stored.conversationId).lean();
  expect(String(conv!.contactId)).toBe(String(webConv!.contactId));
  const contact = await gw.models.Contact.findById(conv!.contactId).lean();
  expect(contact?.identities).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ channel: 'webchat' }),
      { channel: 'telegram', address: String(user.id) },
    ]),
  );
  // Later messages from that Telegram user belong to the same contact.
  bot.message(user, { text: 'It is me again' });
  const later = await eventually(
    () => gw.models.Message.findOne({ inboxId: inbox._id, text: 'It is me again' }).lean<MessageDoc>(),
    (x) => x !== null,
  );
  expect(String(later!.sender.id)).toBe(String(webConv!.contactId));
});

it('takes a /start with a forged or expired link as a new contact, with no link', async () => {
  const session = await openVisitorSession(gw.url, web.key);
  const visitor = await connectVisitor(gw.url, session.token);
  const first = await call<{ conversationId: string }>(visitor, 'message:send', {
    clientId: 'w2',
    text: 'hi',
  });
  visitor.close();
  const webConv = await gw.models.Conversation.findById(first.conversationId).lean();
  const contactId = String(webConv!.contactId);
  const expired = linkToken(
    TEST_SECRET,
    { inboxId: String(inbox._id), contactId, ttlS: 60 },
    Date.now() - 3600_000,
  );
  const forged = linkToken('another-secret-that-is-long-enough-000000', {
    inboxId: String(inbox._id),
    contactId,
    ttlS: 60,
  });
  for (const token of [expired, forged]) {
    const user = someUser();
    bot.message(user, { text: `/start ${token}` });
    const stored = await storedFrom(user.id);
    expect(stored.text).toBe(`/start ${token}`);
    const conv = await gw.models.Conversation.findById(stored.conversationId).lean();
    expect(String(conv!.contactId)).not.toBe(contactId);
  }
  const contact = await gw.models.Contact.findById(contactId).lean();
  expect(contact?.identities.filter((i) => i.channel === 'telegram')).toHaveLength(0);
});

it('refuses a link to callers without a visitor session, and to visitors who have not written yet', async () => {
  expect((await askLink('not-a-token')).status).toBe(401);
  const session = await openVisitorSession(gw.url, web.key);
  const res = await askLink(session.token);
  expect(res.status).toBe(409);
  expect(await res.json()).toMatchObject({ error: { code: 'no_contact' } });
});

it('may be asked for by the widget from any site', async () => {
  const preflight = await fetch(`${gw.url}/channels/telegram/${inbox.key}/link`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://shop.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  expect((await askLink('not-a-token')).headers.get('access-control-allow-origin')).toBe('*');
});

describe('link tokens', () => {
  const inboxId = '65f000000000000000000001';
  const contactId = '65f0000000000000000000aa';
  it('fit Telegram’s start parameter and name the contact until they expire', () => {
    const t = linkToken(TEST_SECRET, { inboxId, contactId, ttlS: 60 });
    expect(t).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(readLinkToken(TEST_SECRET, inboxId, t)).toBe(contactId);
    expect(readLinkToken(TEST_SECRET, inboxId, t, Date.now() + 61_000)).toBeNull();
    expect(readLinkToken(TEST_SECRET, '65f000000000000000000002', t)).toBeNull();
    const tampered = `${t.slice(0, 5)}${t[5] === 'A' ? 'B' : 'A'}${t.slice(6)}`;
    expect(readLinkToken(TEST_SECRET, inboxId, tampered)).toBeNull();
    expect(readLinkToken(TEST_SECRET, inboxId, 'garbage')).toBeNull();
  });
});
