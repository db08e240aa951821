/**
 * A Telegram user who writes to the bot while the inbox's calendar is closed gets one
 * message saying when the team opens again, however many they send; none while open.
 */
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import { createAgent, eventually } from '../../harness/gateway';
import { staysAt } from '../../harness/absence';
import { assignCalendar } from '../../harness/calendars';
import {
  someUser,
  startStandIn,
  storedCount,
  telegramGateway,
  telegramInbox,
  type TelegramGateway,
} from './setup';

let bot: TelegramStandIn;
let gw: TelegramGateway;
let admin = '';

beforeAll(async () => {
  bot = await startStandIn();
  gw = await telegramGateway();
  admin = (await createAgent(gw, { role: 'admin', capacity: 0 })).token;
}, 60_000);
afterAll(async () => {
  await gw.close();
  await bot.close();
});

const textsTo = (chatId: number) => bot.sent.filter((m) => m.method === 'sendMessage' && m.chatId === chatId);

describe('out-of-hours Telegram reply', () => {
  it('is sent once per closed period, even for several messages', async () => {
    const inbox = await telegramInbox(gw, bot);
    await assignCalendar(gw, admin, String(inbox._id), 'closed');
    const user = someUser('Mei');
    bot.message(user, { text: 'Hi, are you open?' });
    const [reply] = await eventually(
      async () => textsTo(user.id),
      (l) => l.length > 0,
      15_000,
    );
    expect(reply?.text).toMatch(/open again tomorrow at \d\d:\d\d/);
    bot.message(user, { text: 'Anyone?' });
    await storedCount(gw, inbox, 2);
    await staysAt(async () => textsTo(user.id).length, 1);
  });

  it('is not sent while the inbox is open', async () => {
    const ownBot = await startStandIn(); // one inbox per bot: a bot's updates go to one poller
    const inbox = await telegramInbox(gw, ownBot);
    await assignCalendar(gw, admin, String(inbox._id), 'open');
    const user = someUser('Olga');
    ownBot.message(user, { text: 'Open?' });
    await storedCount(gw, inbox, 1);
    await staysAt(async () => ownBot.sent.filter((m) => m.method === 'sendMessage').length, 0);
    await ownBot.close();
  });
});
