/** The bot's Bot API client (telegraf) and how its failures read: retry, give up, or tell an admin. */
import { Telegraf, TelegramError, type Telegram } from 'telegraf';
import type { TelegramSettings } from './settings';

export function botClient(settings: Pick<TelegramSettings, 'botToken' | 'apiRoot'>): Telegram {
  // webhookReply off: every call is a real request whose result and errors we see.
  return new Telegraf(settings.botToken, { telegram: { apiRoot: settings.apiRoot, webhookReply: false } })
    .telegram;
}

/** The Bot API's error code, or null for network failures (which telegraf surfaces as plain errors). */
export const apiCode = (err: unknown): number | null => (err instanceof TelegramError ? err.code : null);

/** A client error from the Bot API (4xx): the request itself is wrong and will not succeed as is. */
export const isClientError = (err: unknown): err is TelegramError => {
  const code = apiCode(err);
  return code !== null && code >= 400 && code < 500;
};

/** A sentence for admins about why the bot cannot talk to Telegram; never includes the token. */
export function describeFailure(err: unknown): string {
  const code = apiCode(err);
  if (code === 401 || code === 404)
    return 'Telegram rejected the bot token (401 Unauthorized); copy the token from BotFather again.';
  if (err instanceof TelegramError) return `Telegram answered ${err.code}: ${err.description}`;
  return `Telegram cannot be reached: ${(err as Error).message}`;
}
