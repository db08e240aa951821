/** Telegram as the conformance suite drives it: the Bot API stand-in posting updates to the inbox's webhook. */
import type { TelegramStandIn, Update } from '../../../channels/telegram/standin';
import type { TgUser } from '../../../channels/telegram/standin-wire';
import {
  someUser,
  startStandIn,
  telegramGateway,
  telegramInbox,
  type TelegramGateway,
} from '../telegram/setup';
import type { ChannelDriver } from './driver';

const fail = (why: string): never => {
  throw new Error(why);
};

export function telegramDriver(): ChannelDriver {
  let running: { bot: TelegramStandIn; gw: TelegramGateway } | null = null;
  const users = new Map<string, TgUser>();
  const updates = new Map<string, Update>();
  const need = () => running?.bot ?? fail('the bot starts in start()');
  return {
    kind: 'telegram',
    refusal: {
      refuse: (to) => need().block(Number(to)),
      accept: (to) => need().unblock(Number(to)),
    },
    async start() {
      const bot = await startStandIn();
      const gw = await telegramGateway();
      running = { bot, gw };
      const inbox = await telegramInbox(gw, bot, { mode: 'webhook', publicUrl: gw.url });
      return { gw, inboxId: String(inbox._id) };
    },
    async customer() {
      const user = someUser();
      users.set(String(user.id), user);
      return String(user.id);
    },
    async deliver(from, text) {
      const user = users.get(from);
      if (!user) throw new Error(`no Telegram user ${from}`);
      const update = need().message(user, { text });
      const providerId = `${from}:${update.message?.message_id}`;
      updates.set(providerId, update);
      return { from, text, providerId };
    },
    async deliverAgain(d) {
      const update = updates.get(d.providerId);
      if (!update) throw new Error(`no update for ${d.providerId}`);
      need().push(update);
    },
    sent: () =>
      need()
        .sent.filter((s) => s.method === 'sendMessage')
        .map((s) => ({ to: String(s.chatId), text: s.text ?? '', providerId: `${s.chatId}:${s.messageId}` })),
    async confirm() {},
    async stop() {
      await running?.gw.close();
      await running?.bot.close();
    },
  };
}
