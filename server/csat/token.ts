/**
 * Rating links: `/csat/<token>`, where the token names a conversation and the resolution
 * it rates, with an expiry, signed with the gateway's secret (HMAC-SHA256, truncated).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';

const MAC_BYTES = 16;
const BODY_BYTES = 12 + 8 + 4;

export type TokenReading =
  { ok: true; conversationId: string; resolvedAt: Date } | { ok: false; reason: 'forged' | 'expired' };

const keyOf = (secret: string) => createHmac('sha256', secret).update('csat-rating-link').digest();
const mac = (secret: string, body: Buffer) =>
  createHmac('sha256', keyOf(secret)).update(body).digest().subarray(0, MAC_BYTES);

export function ratingToken(
  secret: string,
  claim: { conversationId: string; resolvedAt: Date; expiresAt: Date },
): string {
  const body = Buffer.alloc(BODY_BYTES);
  Buffer.from(new Types.ObjectId(claim.conversationId).id).copy(body, 0);
  body.writeBigUInt64BE(BigInt(claim.resolvedAt.getTime()), 12);
  body.writeUInt32BE(Math.ceil(claim.expiresAt.getTime() / 1000), 20);
  return Buffer.concat([body, mac(secret, body)]).toString('base64url');
}

/** What a token claims, once its signature holds and it has not expired. */
export function readRatingToken(secret: string, token: string, now = Date.now()): TokenReading {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(token)) return { ok: false, reason: 'forged' };
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== BODY_BYTES + MAC_BYTES) return { ok: false, reason: 'forged' };
  const body = raw.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(raw.subarray(BODY_BYTES), mac(secret, body))) return { ok: false, reason: 'forged' };
  if (body.readUInt32BE(20) * 1000 < now) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    conversationId: body.subarray(0, 12).toString('hex'),
    resolvedAt: new Date(Number(body.readBigUInt64BE(12))),
  };
}
