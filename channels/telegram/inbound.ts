/**
 * One Telegram update into Switchboard: messages from allowed chats are stored once
 * (dedupe key: chat id + message id), edits replace the stored text, files are fetched,
 * and a `/start <token>` deep link joins the Telegram user to the contact it names. A
 * button press (`callback_query`) is a survey answer (survey.ts).
 */
import type { ChannelContext } from '../../server/domain/channel';
import type { Identity } from '../../server/domain/contact';
import { DomainError } from '../../server/domain/errors';
import type { Attachment } from '../../server/domain/types';
import { readLinkToken } from './deeplink';
import type { BotInbox, Outcome } from './bot-inbox';
import { fetchMedia } from './media';
import { takeSurveyPress } from './survey';
import { TgUpdate, mediaOf, nameOf, wordsOf, type TgMessage } from './updates';

export type { BotInbox, Outcome } from './bot-inbox';

export const dedupeKeyOf = (m: Pick<TgMessage, 'chat' | 'message_id'>) => `tg:${m.chat.id}:${m.message_id}`;

const START = /^\/start(?:@\w+)?\s+(\S+)\s*$/;

export async function takeUpdate(ctx: ChannelContext, bot: BotInbox, raw: unknown): Promise<Outcome> {
  const log = ctx.logger.child({ inboxId: bot.inboxId, channel: 'telegram' });
  const parsed = TgUpdate.safeParse(raw);
  if (!parsed.success) {
    log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'ignored a malformed Telegram update');
    return 'ignored';
  }
  const update = parsed.data;
  if (update.callback_query) return takeSurveyPress(ctx, bot, update.callback_query);
  const m = update.message ?? update.edited_message;
  if (!m) {
    log.debug({ updateId: update.update_id }, 'ignored an update without a message');
    return 'ignored';
  }
  const chatType = m.chat.type;
  if (
    chatType === 'channel' ||
    !bot.settings.allowedChatTypes.includes(chatType) ||
    !m.from ||
    m.from.is_bot
  ) {
    log.debug(
      { updateId: update.update_id, chatType },
      'ignored a message from a chat this inbox does not take',
    );
    return 'ignored';
  }
  const dedupeKey = dedupeKeyOf(m);
  let text = wordsOf(m);
  if (update.edited_message && (await ctx.editInbound(bot.inboxId, dedupeKey, text))) return 'edited';

  const attachments: Attachment[] = [];
  const media = mediaOf(m);
  if (media) {
    const got = await fetchMedia(ctx, bot.telegram, media);
    if ('attachment' in got) attachments.push(got.attachment);
    else text = text ? `${got.placeholder}\n${text}` : got.placeholder;
  }

  const from: Identity = { channel: 'telegram', address: String(m.from.id) };
  const meta: Record<string, unknown> = {
    chatId: m.chat.id,
    chatType,
    telegramMessageId: m.message_id,
    ...(m.from.username ? { username: m.from.username } : {}),
  };
  const start = chatType === 'private' ? START.exec(text) : null;
  if (start?.[1]) {
    const contactId = readLinkToken(ctx.authSecret, bot.inboxId, start[1]);
    if (contactId && (await ctx.linkIdentity(contactId, from))) {
      text = '/start';
      meta.linkedContactId = contactId;
    } else {
      log.info({ updateId: update.update_id }, 'a /start link was invalid or expired; no contact linked');
    }
  }
  let res;
  try {
    res = await ctx.ingest({
      inboxId: bot.inboxId,
      from,
      profile: { name: nameOf(m) },
      dedupeKey,
      text,
      attachments,
      meta,
      sentAt: new Date(m.date * 1000),
    });
  } catch (err) {
    // A message the core refuses for good (too long) is logged and acknowledged, never retried forever.
    if (!(err instanceof DomainError) || err.status >= 500) throw err;
    log.error({ err, updateId: update.update_id }, 'a Telegram message was refused');
    return 'ignored';
  }
  if (res.duplicate) return 'duplicate';
  if (update.edited_message) await ctx.editInbound(bot.inboxId, dedupeKey, text);
  // Someone who had blocked the bot and writes again can be answered again.
  const contact = await ctx.models.Contact.findById(res.contactId, { reachability: 1 }).lean();
  if (contact?.reachability?.telegram?.reachable === false)
    await ctx.setReachability(res.contactId, 'telegram', true, 'wrote to the bot again');
  return 'stored';
}
