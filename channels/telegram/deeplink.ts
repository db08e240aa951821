/**
 * Deep links that let a known contact (a web chat visitor) continue on Telegram as the
 * same person: `https://t.me/<bot>?start=<token>`, where the token is the contact id and
 * an expiry signed for one inbox, in Telegram's start-parameter alphabet (≤ 64 chars).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';

const MAC_BYTES = 16;

const keyOf = (authSecret: string) => createHmac('sha256', authSecret).update('telegram-deep-link').digest();

function mac(authSecret: string, inboxId: string, body: Buffer): Buffer {
  return createHmac('sha256', keyOf(authSecret)).update(inboxId).update(body).digest().subarray(0, MAC_BYTES);
}

/** A start payload naming `contactId`, good on this inbox's bot until `ttlS` seconds from now. */
export function linkToken(
  authSecret: string,
  link: { inboxId: string; contactId: string; ttlS: number },
  now = Date.now(),
): string {
  const body = Buffer.alloc(16);
  Buffer.from(new Types.ObjectId(link.contactId).id).copy(body, 0);
  body.writeUInt32BE(Math.floor(now / 1000) + link.ttlS, 12);
  return Buffer.concat([body, mac(authSecret, link.inboxId, body)]).toString('base64url');
}

/** The contact a start payload names, or null when it is forged, for another inbox, or expired. */
export function readLinkToken(
  authSecret: string,
  inboxId: string,
  token: string,
  now = Date.now(),
): string | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 16 + MAC_BYTES) return null;
  const body = raw.subarray(0, 16);
  if (!timingSafeEqual(raw.subarray(16), mac(authSecret, inboxId, body))) return null;
  if (body.readUInt32BE(12) * 1000 < now) return null;
  return body.subarray(0, 12).toString('hex');
}

export const linkUrl = (botUsername: string, token: string) => `https://t.me/${botUsername}?start=${token}`;
