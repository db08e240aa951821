/**
 * Telegram: after a resolution the customer gets one question with five buttons (1–5).
 * A press is the answer, stored once per callback query however often Telegram delivers
 * it, and acknowledged in the customer's language; a later press is a change. Presses that
 * are no answer of the presser's are acknowledged and change nothing. A customer who
 * blocked the bot gets no survey.
 */
import type { SentRecord, TelegramStandIn } from '../../channels/telegram/standin';
import type { InboxDoc } from '../../server/domain/inbox';
import type { MessageDoc } from '../../server/domain/message';
import { call, connectAgent, createAgent, eventually, type AgentClient } from '../harness/gateway';
import {
  someUser,
  startStandIn,
  telegramGateway,
  telegramInbox,
  type TelegramGateway,
} from '../channels/telegram/setup';
import { eventsOf, surveyAsked, takeAndResolve } from './steps';

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

type User = ReturnType<typeof someUser>;

async function conversationOf(user: User, text: string): Promise<string> {
  const update = bot.message(user, { text });
  const key = `tg:${user.id}:${update.message!.message_id}`;
  const m = await eventually(
    () => gw.models.Message.findOne({ inboxId: inbox._id, dedupeKey: key }).lean<MessageDoc>(),
    (x) => x !== null,
  );
  return String(m!.conversationId);
}

/** The survey questions (messages with buttons) the bot sent to the user's chat. */
const questionsTo = (user: User) =>
  eventually(
    async () => bot.sent.filter((s) => s.chatId === user.id && s.replyMarkup),
    (l) => l.length > 0,
    20_000,
  );

/** Waits until the bot has answered (or tried to answer) the press, and returns that call. */
async function answerOf(press: ReturnType<TelegramStandIn['press']>, n = 1) {
  const id = (press.callback_query as { id: string }).id;
  const calls = await eventually(
    async () => bot.callbackAnswers.filter((a) => a.queryId === id),
    (l) => l.length >= n,
  );
  return calls[n - 1]!;
}

async function resolvedWith(user: User) {
  const conversationId = await conversationOf(user, 'My order never came');
  await takeAndResolve(agent, conversationId);
  const survey = await surveyAsked(gw, conversationId);
  const [question, ...more] = await questionsTo(user);
  expect(more).toHaveLength(0);
  return { conversationId, survey, question: question! };
}

const dataFor = (surveyId: unknown, rating: number) => `csat:${String(surveyId)}:${rating}`;

describe('Telegram satisfaction survey', () => {
  it('asks with five buttons; a press answers once whatever the redeliveries, a later one changes it', async () => {
    const user = someUser('Mei');
    const { conversationId, survey, question } = await resolvedWith(user);
    expect(question.text).toMatch(/Tap a number below: 1 is poor, 5 is excellent/);
    const buttons = question.replyMarkup!.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);
    expect(buttons.map((b) => b.callback_data)).toEqual([1, 2, 3, 4, 5].map((n) => dataFor(survey._id, n)));
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);

    const four = bot.press(user, question, dataFor(survey._id, 4));
    expect(await answerOf(four)).toMatchObject({ ok: true, text: 'Thanks for your rating' });
    const answered = await eventsOf(gw, conversationId, 'csat.answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]?.data).toMatchObject({ rating: 4, satisfied: true });
    const marked = await eventually(
      async () => bot.edits.filter((e) => e.chatId === user.id && e.messageId === question.messageId),
      (l) => l.length > 0,
    );
    expect(marked[0]!.replyMarkup!.inline_keyboard.flat().map((b) => b.text)).toEqual([
      '1',
      '2',
      '3',
      '4 ✓',
      '5',
    ]);

    // Telegram delivers the same press again: answered (Telegram refuses a second answer), nothing stored.
    bot.push({ callback_query: four.callback_query });
    expect(await answerOf(four, 2)).toMatchObject({ ok: false });
    expect(await eventsOf(gw, conversationId, 'csat.answered')).toHaveLength(1);
    expect(await eventsOf(gw, conversationId, 'csat.changed')).toHaveLength(0);

    const two = bot.press(user, question, dataFor(survey._id, 2));
    expect(await answerOf(two)).toMatchObject({ ok: true, text: 'Thanks for your rating' });
    const changed = await eventsOf(gw, conversationId, 'csat.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.data).toMatchObject({ old: { rating: 4 }, new: { rating: 2 }, satisfied: false });
    expect(await gw.models.Survey.findById(survey._id).lean()).toMatchObject({ rating: 2, satisfied: false });

    // A press is no message: the conversation stays resolved and nothing new is opened.
    const convs = await gw.models.Conversation.find({ contactId: survey.contactId }).lean();
    expect(convs.map((c) => c.status)).toEqual(['resolved']);
  });

  it('acknowledges presses that are no answer of the presser’s, and stores nothing', async () => {
    const mei = someUser('Mei');
    const { conversationId, survey, question } = await resolvedWith(mei);
    const before = bot.callbackAnswers.length;

    // Someone else's press on Mei's survey, and data that names no survey.
    const other = someUser('Ola');
    const foreign = bot.press(other, question, dataFor(survey._id, 5));
    expect(await answerOf(foreign)).toMatchObject({ ok: true, text: null });
    const junk = bot.push({
      callback_query: {
        id: '918273645500001',
        from: { id: mei.id, is_bot: false, first_name: 'Mei' },
        message: { message_id: question.messageId, chat: { id: mei.id, type: 'private' }, date: 0 },
        chat_instance: '1',
        data: 'csat:not-a-survey:9',
      },
    });
    expect(await answerOf(junk)).toMatchObject({ ok: true, text: null });
    expect(bot.callbackAnswers.length - before).toBe(2);
    expect(await eventsOf(gw, conversationId, 'csat.answered')).toHaveLength(0);

    // The bot goes on taking answers.
    const five = bot.press(mei, question, dataFor(survey._id, 5));
    expect(await answerOf(five)).toMatchObject({ ok: true });
    expect(await eventsOf(gw, conversationId, 'csat.answered')).toHaveLength(1);
  });

  it('thanks in the survey’s language', async () => {
    await gw.models.Inbox.updateOne({ _id: inbox._id }, { $set: { locale: 'zh-CN' } });
    try {
      const user = someUser('Li');
      const { survey, question } = await resolvedWith(user);
      expect(question.text).toMatch(/请点击下方的数字/);
      const press = bot.press(user, question, dataFor(survey._id, 5));
      expect(await answerOf(press)).toMatchObject({ ok: true, text: '感谢您的评价' });
    } finally {
      await gw.models.Inbox.updateOne({ _id: inbox._id }, { $set: { locale: 'en' } });
    }
  });

  it('takes a press delivered to the webhook as it does one read by polling', async () => {
    const hooked = await startStandIn();
    try {
      const hookInbox = await telegramInbox(gw, hooked, { mode: 'webhook', publicUrl: gw.url });
      const a = await createAgent(gw, { teamIds: [String(hookInbox.teamId)], capacity: 5 });
      const desk = await connectAgent(gw.url, a.token);
      const user = someUser('Wen');
      const update = hooked.message(user, { text: 'Refund please' });
      const m = await eventually(
        () =>
          gw.models.Message.findOne({
            inboxId: hookInbox._id,
            dedupeKey: `tg:${user.id}:${update.message!.message_id}`,
          }).lean<MessageDoc>(),
        (x) => x !== null,
      );
      const conversationId = String(m!.conversationId);
      await takeAndResolve(desk, conversationId);
      const survey = await surveyAsked(gw, conversationId);
      const [question] = await eventually(
        async () => hooked.sent.filter((x) => x.chatId === user.id && x.replyMarkup),
        (l) => l.length > 0,
        20_000,
      );
      const press = hooked.press(user, question!, dataFor(survey._id, 3));
      const id = (press.callback_query as { id: string }).id;
      await eventually(
        async () => hooked.callbackAnswers.filter((x) => x.queryId === id && x.ok),
        (l) => l.length === 1,
      );
      const delivered = await eventually(
        async () => hooked.webhookDeliveries.filter((d) => d.updateId === press.update_id),
        (l) => l.length > 0,
      );
      expect(delivered.map((d) => d.status)).toEqual([200]);
      const answered = await eventsOf(gw, conversationId, 'csat.answered');
      expect(answered.map((e) => e.data)).toMatchObject([{ rating: 3, satisfied: false }]);
      desk.close();
    } finally {
      await hooked.close();
    }
  });

  it('sends no survey to a customer who blocked the bot', async () => {
    const user = someUser('Bo');
    const conversationId = await conversationOf(user, 'Hi');
    await call(agent, 'conversation:take', { conversationId });
    bot.block(user.id);
    await call(agent, 'message:send', { conversationId, clientId: `blocked-${user.id}`, text: 'Hello?' });
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    await eventually(
      () => gw.models.Contact.findById(conv!.contactId).lean(),
      (c) => c?.reachability?.telegram?.reachable === false,
    );
    await call(agent, 'conversation:resolve', { conversationId });
    // Asking again decides as the asking the resolution set off did: nothing is owed.
    expect(await gw.app.csat.asker.ask(conversationId, null)).toBeNull();
    expect(await gw.models.Survey.countDocuments({ conversationId })).toBe(0);
    expect(await eventsOf(gw, conversationId, 'csat.requested')).toHaveLength(0);
    const asked: SentRecord[] = bot.sent.filter((s) => s.chatId === user.id);
    expect(asked).toHaveLength(0);
  });
});
