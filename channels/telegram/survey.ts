/**
 * Satisfaction surveys on Telegram: the question goes out with five buttons (1–5) under
 * it, and a press arrives as a callback query whose data names the survey and the rating.
 * Every press is answered (Telegram shows a spinner until it is); an answer is stored once
 * per callback query id, and the chosen button is marked on the question.
 */
import type { Logger } from 'pino';
import type { Telegram } from 'telegraf';
import { z } from 'zod';
import type {
  ChannelContext,
  OutboundMessage,
  SendResult,
  SurveyPrompt,
  SurveyState,
} from '../../server/domain/channel';
import { DomainError } from '../../server/domain/errors';
import type { Locale } from '../../server/domain/types';
import { describeFailure } from './client';
import type { BotInbox, Outcome } from './bot-inbox';
import { sendReply, type InlineKeyboard, type OutboundTiming } from './outbound';
import type { TgCallbackQuery } from './updates';

const RATINGS = [1, 2, 3, 4, 5] as const;

/** `csat:<survey id>:<rating>`: 31 bytes, within the 64 Telegram allows for callback data. */
export const callbackData = (surveyId: string, rating: number): string => `csat:${surveyId}:${rating}`;

/** A survey button's callback data; anything else (another keyboard's, forged) fails. */
export const SurveyPress = z
  .string()
  .regex(/^csat:[0-9a-f]{24}:[1-5]$/)
  .transform((data) => {
    const [, surveyId = '', rating = ''] = data.split(':');
    return { surveyId, rating: Number(rating) };
  });

/** The five rating buttons in one row; the chosen one, once answered, is ticked. */
export function ratingKeyboard(surveyId: string, chosen: number | null = null): InlineKeyboard {
  return {
    inline_keyboard: [
      RATINGS.map((n) => ({
        text: n === chosen ? `${n} ✓` : String(n),
        callback_data: callbackData(surveyId, n),
      })),
    ],
  };
}

const WORDS: Record<Locale, { thanks: string; closed: string }> = {
  en: { thanks: 'Thanks for your rating', closed: 'This survey no longer takes answers' },
  'zh-CN': { thanks: '感谢您的评价', closed: '该评价已结束' },
};

/** The language of the user's Telegram app, as far as Switchboard speaks it. */
const localeOf = (q: TgCallbackQuery): Locale =>
  q.from.language_code?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';

export function sendSurvey(
  ctx: ChannelContext,
  telegram: Telegram,
  botId: string,
  out: OutboundMessage,
  survey: SurveyPrompt,
  timing: OutboundTiming,
): Promise<SendResult> {
  return sendReply(ctx, telegram, botId, out, timing, ratingKeyboard(survey.surveyId));
}

/** Ends the button's spinner; a query Telegram no longer takes (too old, answered) changes nothing. */
async function answer(telegram: Telegram, q: TgCallbackQuery, text: string | undefined, log: Logger) {
  await telegram.answerCbQuery(q.id, text).catch((err: unknown) => {
    log.info({ callbackQueryId: q.id, reason: describeFailure(err) }, 'a button press was not answered');
  });
}

/** Marks the chosen rating on the question's buttons. */
async function markChoice(telegram: Telegram, q: TgCallbackQuery, state: SurveyState, log: Logger) {
  if (!q.message || state.rating === null) return;
  await telegram
    .editMessageReplyMarkup(
      q.message.chat.id,
      q.message.message_id,
      undefined,
      ratingKeyboard(state.surveyId, state.rating),
    )
    // "message is not modified" when the rating shown is already this one.
    .catch((err: unknown) =>
      log.debug({ callbackQueryId: q.id, reason: describeFailure(err) }, 'survey buttons not updated'),
    );
}

/**
 * A button press: a survey answer from the user who pressed it. Presses that are no
 * survey answer, or that the survey refuses (another contact's, closed), are answered and
 * change nothing; only a failure to store (the database) is thrown, so the update comes again.
 */
export async function takeSurveyPress(
  ctx: ChannelContext,
  bot: BotInbox,
  q: TgCallbackQuery,
): Promise<Outcome> {
  const log = ctx.logger.child({ inboxId: bot.inboxId, channel: 'telegram' });
  const press = SurveyPress.safeParse(q.data);
  if (!press.success) {
    log.debug({ callbackQueryId: q.id }, 'ignored a button press that is no survey answer');
    await answer(bot.telegram, q, undefined, log);
    return 'ignored';
  }
  let state: SurveyState;
  try {
    state = await ctx.surveys.answer({
      ...press.data,
      from: { channel: 'telegram', address: String(q.from.id) },
      dedupeKey: q.id,
    });
  } catch (err) {
    if (!(err instanceof DomainError) || err.status >= 500) throw err;
    log.info({ callbackQueryId: q.id, code: err.code }, 'a survey button press was refused');
    await answer(bot.telegram, q, err.status === 410 ? WORDS[localeOf(q)].closed : undefined, log);
    return 'ignored';
  }
  await answer(bot.telegram, q, WORDS[state.locale].thanks, log);
  await markChoice(bot.telegram, q, state, log);
  return 'answered';
}
