/** What the stand-in does with sendMessage, sendPhoto, sendDocument and sendChatAction: Telegram's checks and answers, and a record of each. */
import { keyOf, markupParam, type InlineKeyboardMarkup, type KeptMessage } from './standin-callbacks';
import { ApiError, botUser, fileParam, type Chat, type Params } from './standin-wire';

export interface SentRecord {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'sendChatAction';
  chatId: number;
  text?: string;
  caption?: string;
  action?: string;
  file?: { name: string; contentType: string; data: Buffer };
  replyMarkup?: InlineKeyboardMarkup;
  messageId?: number;
  at: number;
}

/** The stand-in's state a send reads and changes. */
export interface SendWorld {
  bot: { botId: number; username: string };
  chats: Map<number, Chat>;
  blocked: Set<number>;
  throttledUntil: number;
  messageId(): number;
  store(data: Buffer, path: string): { file_id: string; file_unique_id: string; file_size: number };
  sent: SentRecord[];
  /** The bot's messages, by chat and message id. */
  messages: Map<string, KeptMessage>;
}

export function acceptSend(w: SendWorld, method: string, p: Params): unknown {
  const chatId = p.int('chat_id');
  const chat = chatId === null ? undefined : w.chats.get(chatId);
  if (!chat) throw new ApiError(400, 'Bad Request: chat not found');
  if (w.blocked.has(chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
  const wait = Math.ceil((w.throttledUntil - Date.now()) / 1000);
  if (wait > 0 && method !== 'sendchataction')
    throw new ApiError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
  const at = Date.now();
  if (method === 'sendchataction') {
    w.sent.push({ method: 'sendChatAction', chatId: chat.id, action: p.str('action') ?? '', at });
    return true;
  }
  const base = { message_id: w.messageId(), from: botUser(w.bot), chat, date: Math.floor(at / 1000) };
  if (method === 'sendmessage') {
    const text = p.str('text') ?? '';
    if (!text.trim()) throw new ApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    const replyMarkup = markupParam(p);
    w.sent.push({
      method: 'sendMessage',
      chatId: chat.id,
      text,
      ...(replyMarkup ? { replyMarkup } : {}),
      messageId: base.message_id,
      at,
    });
    w.messages.set(keyOf(chat.id, base.message_id), {
      chat,
      messageId: base.message_id,
      date: base.date,
      text,
      replyMarkup,
    });
    return { ...base, text, ...(replyMarkup ? { reply_markup: replyMarkup } : {}) };
  }
  const field = method === 'sendphoto' ? 'photo' : 'document';
  const file = fileParam(p, field);
  if (!file) throw new ApiError(400, `Bad Request: there is no ${field} in the request`);
  const caption = p.str('caption') ?? undefined;
  const stored = w.store(file.data, field === 'photo' ? 'photos/file' : 'documents/file');
  w.sent.push({
    method: field === 'photo' ? 'sendPhoto' : 'sendDocument',
    chatId: chat.id,
    caption,
    file,
    messageId: base.message_id,
    at,
  });
  const media =
    field === 'photo'
      ? { photo: [{ ...stored, width: 320, height: 320 }] }
      : { document: { ...stored, file_name: file.name, mime_type: file.contentType } };
  return { ...base, ...media, ...(caption ? { caption } : {}) };
}
