/**
 * The stand-in's inline keyboards: `reply_markup` on sendMessage checked as Telegram
 * checks it, presses of a button as `callback_query` updates, and answerCallbackQuery and
 * editMessageReplyMarkup with Telegram's refusals, each call recorded.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ApiError, botUser, type Chat, type Params, type TgUser } from './standin-wire';

const Button = z.object({
  text: z.string(),
  callback_data: z.string().optional(),
  url: z.string().optional(),
});
const Markup = z.object({ inline_keyboard: z.array(z.array(Button)) });
export type InlineKeyboardMarkup = z.infer<typeof Markup>;

/** A message the bot sent, as later calls (an edit, a press) find it. */
export interface KeptMessage {
  chat: Chat;
  messageId: number;
  date: number;
  text: string;
  replyMarkup: InlineKeyboardMarkup | null;
}

export interface CallbackAnswerRecord {
  queryId: string;
  text: string | null;
  showAlert: boolean;
  /** False when Telegram refused it (unknown, too old or already answered). */
  ok: boolean;
  at: number;
}

export interface EditRecord {
  method: 'editMessageReplyMarkup';
  chatId: number;
  messageId: number;
  replyMarkup: InlineKeyboardMarkup | null;
  at: number;
}

export interface CallbackWorld {
  bot: { botId: number; username: string };
  blocked: Set<number>;
  messages: Map<string, KeptMessage>;
  /** Callback queries delivered and not answered yet. */
  openQueries: Set<string>;
  callbackAnswers: CallbackAnswerRecord[];
  edits: EditRecord[];
}

export const keyOf = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

/** The `reply_markup` of a call (a JSON body's object, or a form's JSON string), checked. */
export function markupParam(p: Params): InlineKeyboardMarkup | null {
  const raw = p.value('reply_markup');
  if (raw === undefined || raw === null) return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
  }
  const parsed = Markup.safeParse(value);
  if (!parsed.success) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const b of parsed.data.inline_keyboard.flat()) {
    if (!b.text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
    if (b.callback_data === undefined && b.url === undefined)
      throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
    const bytes = b.callback_data === undefined ? 1 : Buffer.byteLength(b.callback_data);
    if (bytes < 1 || bytes > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
  }
  return parsed.data;
}

/** What a press of the button with `data` under `message` sends the bot. */
export function pressOf(
  w: CallbackWorld,
  from: TgUser,
  message: KeptMessage,
  data: string,
): Record<string, unknown> {
  const buttons = message.replyMarkup?.inline_keyboard.flat() ?? [];
  if (!buttons.some((b) => b.callback_data === data))
    throw new Error(`message ${message.messageId} has no button with callback data ${data}`);
  const id = String(randomInt(1, 2 ** 47)) + String(randomInt(0, 10_000)).padStart(4, '0');
  return {
    id,
    from: { is_bot: false, ...from },
    message: {
      message_id: message.messageId,
      from: botUser(w.bot),
      chat: message.chat,
      date: message.date,
      text: message.text,
      ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
    },
    chat_instance: String(message.chat.id * 7919),
    data,
  };
}

export function acceptCallbackCall(w: CallbackWorld, method: string, p: Params): unknown {
  if (method === 'answercallbackquery') {
    const queryId = p.str('callback_query_id') ?? '';
    const text = p.str('text');
    const ok = w.openQueries.delete(queryId);
    w.callbackAnswers.push({ queryId, text, showAlert: p.bool('show_alert'), ok, at: Date.now() });
    if (!ok)
      throw new ApiError(
        400,
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      );
    if (text !== null && text.length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
    return true;
  }
  // editmessagereplymarkup
  const chatId = p.int('chat_id');
  const messageId = p.int('message_id');
  if (chatId === null || messageId === null)
    throw new ApiError(400, 'Bad Request: message identifier is not specified');
  const m = w.messages.get(keyOf(chatId, messageId));
  if (!m) throw new ApiError(400, 'Bad Request: message to edit not found');
  if (w.blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
  const replyMarkup = markupParam(p);
  if (JSON.stringify(replyMarkup) === JSON.stringify(m.replyMarkup))
    throw new ApiError(
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  m.replyMarkup = replyMarkup;
  const at = Date.now();
  w.edits.push({ method: 'editMessageReplyMarkup', chatId, messageId, replyMarkup, at });
  return {
    message_id: m.messageId,
    from: botUser(w.bot),
    chat: m.chat,
    date: m.date,
    edit_date: Math.floor(at / 1000),
    text: m.text,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  };
}
