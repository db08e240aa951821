/**
 * Agent replies reach the customer's Telegram chat: text, photos and files; at most one
 * message a second per chat; Telegram's 429 waits are respected; a user who blocked the
 * bot makes the contact unreachable, the message failed with the reason, and the next
 * reply refused.
 */
import type { MessageView } from '../../../shared/protocol';
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import type { MessageDoc } from '../../../server/domain/message';
import {
  call,
  callRaw,
  connectAgent,
  createAgent,
  eventually,
  type AgentClient,
} from '../../harness/gateway';
import { someUser, startStandIn, telegramGateway, telegramInbox, type TelegramGateway } from './setup';

let bot: TelegramStandIn;
let gw: TelegramGateway;
let inbox: InboxDoc;
let agent: AgentClient;

beforeAll(async () => {
  bot = await startStandIn();
  gw = await telegramGateway();
  inbox = await telegramInbox(gw, bot);
  const a = await createAgent(gw, { teamIds: [String(inbox.teamId)], capacity: 20 });
  agent = await connectAgent(gw.url, a.token);
});
afterAll(async () => {
  agent.close();
  await gw.close();
  await bot.close();
});

/** A customer writes; the agent takes the conversation. */
async function conversationWith(
  user: { id: number; first_name: string },
  content: Record<string, unknown> = { text: 'Hello?' },
) {
  const update = bot.message(user, content);
  const key = `tg:${user.id}:${update.message!.message_id}`;
  const m = (await eventually(
    () => gw.models.Message.findOne({ inboxId: inbox._id, dedupeKey: key }).lean<MessageDoc>(),
    (x) => x !== null,
  ))!;
  const conversationId = String(m.conversationId);
  await call(agent, 'conversation:take', { conversationId });
  return { conversationId, message: m };
}

let n = 0;
const reply = (conversationId: string, text: string, attachments?: unknown[]) =>
  call<MessageView>(agent, 'message:send', { conversationId, clientId: `r-${n++}`, text, attachments });

const deliveryOf = (id: string) =>
  eventually(
    async () => (await gw.models.Message.findById(id).lean<MessageDoc>())?.delivery,
    (d) => d?.status === 'sent' || d?.status === 'failed',
    15_000,
  );

it('sends a text reply with sendMessage and records Telegram’s message id', async () => {
  const user = someUser();
  const { conversationId } = await conversationWith(user);
  const sent = await reply(conversationId, 'We are on it.');
  const d = await deliveryOf(sent.id);
  expect(d).toMatchObject({ status: 'sent' });
  const rec = bot.sent.find((s) => s.chatId === user.id && s.text === 'We are on it.');
  expect(rec?.method).toBe('sendMessage');
  expect(d?.providerId).toBe(`${user.id}:${rec?.messageId}`);
});

it('sends images with sendPhoto and other files with sendDocument', async () => {
  const user = someUser();
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const pdf = Buffer.from('%PDF-1.4 label');
  const { conversationId, message } = await conversationWith(user, {
    document: { ...bot.file(pdf), file_name: 'label.pdf', mime_type: 'application/pdf' },
  });
  const { message: photoMsg } = await conversationWith(user, {
    document: { ...bot.file(png), file_name: 'shot.png', mime_type: 'image/png' },
  });
  const att = (m: MessageDoc) => ({ ...m.attachments[0]!, fileId: undefined });
  const sent = await reply(conversationId, 'Here is your label and the photo', [att(message), att(photoMsg)]);
  expect((await deliveryOf(sent.id))?.status).toBe('sent');
  const mine = bot.sent.filter((s) => s.chatId === user.id);
  expect(mine.map((s) => s.method)).toEqual(['sendDocument', 'sendPhoto']);
  expect(mine[0]).toMatchObject({ caption: 'Here is your label and the photo' });
  expect(mine[0]!.file).toMatchObject({ name: 'label.pdf' });
  expect(mine[0]!.file!.data).toEqual(pdf);
  expect(mine[1]!.file!.data).toEqual(png);
});

it('sends at most one message a second to one chat', async () => {
  const user = someUser();
  const { conversationId } = await conversationWith(user);
  const sent = await Promise.all([1, 2, 3].map((i) => reply(conversationId, `quick ${i}`)));
  for (const s of sent) expect((await deliveryOf(s.id))?.status).toBe('sent');
  const at = bot.sent
    .filter((s) => s.chatId === user.id)
    .map((s) => s.at)
    .sort((a, b) => a - b);
  expect(at).toHaveLength(3);
  expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(950);
});

it('waits as long as a 429 asks before sending again', async () => {
  const user = someUser();
  const { conversationId } = await conversationWith(user);
  const t0 = Date.now();
  bot.throttle(2);
  const sent = await reply(conversationId, 'after the wait');
  expect((await deliveryOf(sent.id))?.status).toBe('sent');
  const rec = bot.sent.find((s) => s.chatId === user.id && s.text === 'after the wait');
  expect(rec!.at - t0).toBeGreaterThanOrEqual(1900);
});

it('marks a contact who blocked the bot unreachable, fails the message with the reason, and refuses the next reply', async () => {
  const user = someUser();
  const { conversationId } = await conversationWith(user);
  bot.block(user.id);
  const sent = await reply(conversationId, 'Are you still there?');
  const d = await deliveryOf(sent.id);
  expect(d).toMatchObject({ status: 'failed' });
  expect(d?.error).toMatch(/bot was blocked by the user/);
  const conv = await gw.models.Conversation.findById(conversationId).lean();
  const contact = await eventually(
    () => gw.models.Contact.findById(conv!.contactId).lean(),
    (c) => c?.reachability?.telegram?.reachable === false,
  );
  expect(contact?.reachability.telegram?.reason).toMatch(/blocked/);
  await eventually(
    async () => (await gw.models.ConversationEvent.find({ conversationId }).lean()).map((e) => e.type),
    (types) => types.includes('message.failed') && types.includes('contact.unreachable'),
  );
  const next = await callRaw(agent, 'message:send', { conversationId, clientId: `r-${n++}`, text: 'Hello?' });
  expect(next).toMatchObject({ ok: false, error: { code: 'contact_unreachable' } });
  expect(bot.sent.filter((s) => s.chatId === user.id)).toHaveLength(0);

  // Unblocking the bot and writing again makes the customer reachable again.
  bot.unblock(user.id);
  bot.message(user, { text: 'I unblocked you' });
  await eventually(
    () => gw.models.Contact.findById(conv!.contactId).lean(),
    (c) => c?.reachability?.telegram?.reachable === true,
  );
  const again = await reply(conversationId, 'Welcome back');
  expect((await deliveryOf(again.id))?.status).toBe('sent');
});

it('shows "typing…" in the chat while the agent types, at most once every few seconds', async () => {
  const user = someUser();
  const { conversationId } = await conversationWith(user);
  for (let i = 0; i < 5; i++) agent.emit('typing', { conversationId, typing: true });
  await eventually(
    async () => bot.sent.filter((s) => s.chatId === user.id && s.method === 'sendChatAction').length,
    (c) => c >= 1,
  );
  await call(agent, 'conversations:mine', {}); // the typing signals before it were handled
  await new Promise((r) => setTimeout(r, 300));
  const actions = bot.sent.filter((s) => s.chatId === user.id && s.method === 'sendChatAction');
  expect(actions).toHaveLength(1);
  expect(actions[0]!.action).toBe('typing');
});
