/** An inbox's bot as the intake needs it, and what taking one update came to. */
import type { Telegram } from 'telegraf';
import type { TelegramSettings } from './settings';

export interface BotInbox {
  inboxId: string;
  settings: TelegramSettings;
  telegram: Telegram;
}

export type Outcome = 'stored' | 'duplicate' | 'edited' | 'answered' | 'ignored';
