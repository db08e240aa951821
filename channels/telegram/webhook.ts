/**
 * Webhook mode: the secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`
 * (created once per inbox and shared by every gateway process through the checkpoint
 * store), and the check of an incoming request against it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChannelContext } from '../../server/domain/channel';
import { isDuplicateKey } from '../../server/domain/models';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const keyOf = (inboxId: string) => `${inboxId}:telegram:webhook`;

/** The inbox's webhook secret, if one was made. */
export async function webhookSecret(ctx: ChannelContext, inboxId: string): Promise<string | null> {
  const v = (await ctx.checkpoints.get(keyOf(inboxId)))?.secret;
  return typeof v === 'string' ? v : null;
}

/** The inbox's webhook secret, made atomically on first use so all processes register the same one. */
export async function ensureWebhookSecret(ctx: ChannelContext, inboxId: string): Promise<string> {
  const known = await webhookSecret(ctx, inboxId);
  if (known) return known;
  try {
    await ctx.models.ChannelCheckpoint.updateOne(
      { key: keyOf(inboxId) },
      { $setOnInsert: { value: { secret: randomBytes(32).toString('base64url') } } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another process made it first
  }
  const made = await webhookSecret(ctx, inboxId);
  if (!made) throw new Error('the webhook secret could not be stored');
  return made;
}

export function secretMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
