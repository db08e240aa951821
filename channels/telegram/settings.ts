/** Settings of a Telegram inbox (one bot), validated when the inbox is saved. */
import { z } from 'zod';

export const CHAT_TYPES = ['private', 'group', 'supergroup'] as const;
export type ChatType = (typeof CHAT_TYPES)[number];

export const telegramSettings = z
  .object({
    /** The token BotFather gave for the bot, `<bot id>:<secret>`. */
    botToken: z.string().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token from BotFather'),
    /** `webhook`: Telegram posts updates to the gateway; `polling`: the gateway asks with getUpdates. */
    mode: z.enum(['webhook', 'polling']).default('polling'),
    /** Public base URL Telegram reaches the webhook at; the gateway's PUBLIC_URL when unset. */
    publicUrl: z.string().url().optional(),
    /** Chats whose messages are taken in; others are ignored. */
    allowedChatTypes: z.array(z.enum(CHAT_TYPES)).min(1).default(['private']),
    /** Bot API server; the real one unless a local Bot API server (or a test stand-in) is used. */
    apiRoot: z.string().url().default('https://api.telegram.org'),
    /** Seconds one getUpdates long poll waits for new updates (polling mode). */
    pollTimeoutS: z.number().int().min(0).max(50).default(25),
  })
  .strict();

export type TelegramSettings = z.infer<typeof telegramSettings>;

/** The bot's numeric id: the part of the token before the colon. */
export const botIdOf = (token: string): string => token.split(':')[0] ?? token;
