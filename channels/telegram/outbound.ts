/**
 * Agent replies out to Telegram: text with sendMessage, images with sendPhoto, other
 * files with sendDocument; at most one message a second per chat across processes;
 * Telegram's refusals mapped to retry-later, unreachable contact, or permanent failure.
 */
import type { Telegram } from 'telegraf';
import {
  PermanentSendError,
  RetryLaterError,
  type ChannelContext,
  type OutboundMessage,
  type SendResult,
} from '../../server/domain/channel';
import type { ConversationDoc } from '../../server/domain/conversation';
import { DomainError } from '../../server/domain/errors';
import type { MessageDoc } from '../../server/domain/message';
import { apiCode, isClientError } from './client';

/** Telegram's length limits for a message's text and a file's caption. */
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
/** sendPhoto takes photos of at most 10 MB; larger images go as documents. */
const PHOTO_LIMIT = 10 * 1024 * 1024;
const STORED_LINK = /^\/attachments\/([0-9a-f]{24})\//;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** Refusals that mean the person cannot be reached by this bot at all. */
const UNREACHABLE =
  /blocked by the user|user is deactivated|chat not found|bot was kicked|can't initiate conversation/i;

export interface OutboundTiming {
  /** Minimum gap between two messages to one chat. */
  chatGapMs: number;
  /** Minimum gap between two "typing" actions in one chat. */
  typingGapMs: number;
}

/** The chat a conversation is answered in: where the customer last wrote, else their private chat. */
export async function chatOf(ctx: ChannelContext, conv: ConversationDoc): Promise<number | null> {
  const last = await ctx.models.Message.findOne(
    { conversationId: conv._id, direction: 'in', 'meta.chatId': { $type: 'number' } },
    { meta: 1 },
  )
    .sort({ _id: -1 })
    .lean<Pick<MessageDoc, 'meta'>>();
  if (typeof last?.meta.chatId === 'number') return last.meta.chatId;
  const contact = await ctx.models.Contact.findById(conv.contactId, { identities: 1 }).lean();
  const address = contact?.identities.find((i) => i.channel === 'telegram')?.address;
  return address && /^\d+$/.test(address) ? Number(address) : null;
}

/** Claims the chat's next send slot, or says how long to wait for it. */
async function claimSlot(ctx: ChannelContext, key: string, gapMs: number): Promise<number> {
  if ((await ctx.redis.set(key, '1', 'PX', gapMs, 'NX')) === 'OK') return 0;
  return Math.max(await ctx.redis.pttl(key), 1);
}

function refusal(err: unknown): Error {
  const code = apiCode(err);
  if (!isClientError(err)) return err as Error;
  if (code === 429) {
    const seconds = err.parameters?.retry_after ?? 1;
    return new RetryLaterError(`Telegram asks to wait ${seconds} s`, seconds * 1000);
  }
  return new PermanentSendError(
    `Telegram refused the message: ${err.description}`,
    String(code),
    code === 403 || UNREACHABLE.test(err.description),
  );
}

function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += TEXT_LIMIT) out.push(text.slice(i, i + TEXT_LIMIT));
  return out;
}

/** Buttons under a message (Bot API `InlineKeyboardMarkup`). */
export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** Sends an outbound message; `keyboard` goes under its (last) text. */
export async function sendReply(
  ctx: ChannelContext,
  telegram: Telegram,
  botId: string,
  out: OutboundMessage,
  timing: OutboundTiming,
  keyboard?: InlineKeyboard,
): Promise<SendResult> {
  const chatId = await chatOf(ctx, out.conversation);
  if (chatId === null)
    throw new PermanentSendError('This contact has never written to the bot on Telegram.', null, true);
  const slot = `${ctx.redisPrefix}:telegram:chat:${botId}:${chatId}`;
  const wait = await claimSlot(ctx, slot, timing.chatGapMs);
  if (wait > 0) throw new RetryLaterError('one message per second per Telegram chat', wait);

  const { text, attachments } = out.message;
  // Console attachments carry only their link, which names the stored file.
  const files = attachments.flatMap((a) => {
    const fileId = a.fileId ?? STORED_LINK.exec(a.url ?? '')?.[1];
    return fileId ? [fileId] : [];
  });
  const caption = files.length > 0 && text.length <= CAPTION_LIMIT ? text : '';
  const stored = await Promise.all(files.map((id) => ctx.attachments.read(id))).catch((err: unknown) => {
    if (err instanceof DomainError && err.status < 500)
      throw new PermanentSendError(`An attached file cannot be read: ${err.message}`);
    throw err;
  });
  let sent: { message_id: number } | null = null;
  try {
    if (!caption) {
      const parts = chunks(text);
      for (const [i, part] of parts.entries())
        sent = await telegram.sendMessage(
          chatId,
          part,
          keyboard && i === parts.length - 1 ? { reply_markup: keyboard } : {},
        );
    }
    for (const [i, file] of stored.entries()) {
      const input = { source: file.data, filename: file.name };
      const extra = i === 0 && caption ? { caption } : {};
      sent =
        PHOTO_TYPES.includes(file.contentType) && file.data.length <= PHOTO_LIMIT
          ? await telegram.sendPhoto(chatId, input, extra)
          : await telegram.sendDocument(chatId, input, extra);
    }
  } catch (err) {
    throw refusal(err);
  } finally {
    // The next message to this chat waits a full gap after this one reached Telegram.
    await ctx.redis.set(slot, '1', 'PX', timing.chatGapMs);
  }
  if (!sent) throw new PermanentSendError('The message has no text and no file to send.');
  return { providerId: `${chatId}:${sent.message_id}`, status: 'sent', meta: { chatId } };
}

/** Shows "typing…" in the customer's chat, at most once per gap (Telegram shows it for 5 s). */
export async function sendTyping(
  ctx: ChannelContext,
  telegram: Telegram,
  botId: string,
  conv: ConversationDoc,
  timing: OutboundTiming,
): Promise<void> {
  const chatId = await chatOf(ctx, conv);
  if (chatId === null) return;
  if ((await claimSlot(ctx, `${ctx.redisPrefix}:telegram:typing:${botId}:${chatId}`, timing.typingGapMs)) > 0)
    return;
  await telegram.sendChatAction(chatId, 'typing');
}
