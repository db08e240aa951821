/**
 * Verified widget identity: a site that knows its user signs the user's id with the
 * inbox's identity secret (hex HMAC-SHA256 of the id, like Chatwoot's `identifier_hash`
 * and Intercom's `user_hash`). A verified user gets the same visitor id on every device —
 * derived from the inbox and the user id — so their contact, history and replies follow
 * them; an anonymous visitor's random id can never be one of these.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors';
import type { Keyring } from '../privacy/keyring';

export interface SignedIdentity {
  userId: string;
  userHash: string;
}

export interface IdentitySettings {
  identitySecret?: string;
  requireIdentity?: boolean;
}

export class IdentityRefused extends DomainError {
  constructor(code: 'identity_required' | 'identity_invalid' | 'identity_not_enabled', message: string) {
    super(code, message, code === 'identity_not_enabled' ? 400 : 401);
  }
}

/** The signature a site computes for a user id. */
export const signUserId = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(userId, 'utf8').digest('hex');

/**
 * The verified user id of a session request, or null for an anonymous visitor; refuses a
 * signature that does not verify, and a missing one when the inbox requires it.
 */
export function verifiedUser(
  settings: IdentitySettings,
  identity: SignedIdentity | undefined,
): string | null {
  if (!identity) {
    if (settings.requireIdentity)
      throw new IdentityRefused(
        'identity_required',
        'This chat is only for signed-in users: sign in on the site first.',
      );
    return null;
  }
  if (!settings.identitySecret)
    throw new IdentityRefused('identity_not_enabled', 'This inbox does not take signed identities.');
  const expected = Buffer.from(signUserId(settings.identitySecret, identity.userId), 'hex');
  const given = Buffer.from(identity.userHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new IdentityRefused(
      'identity_invalid',
      'The signed identity does not verify: sign in on the site again.',
    );
  return identity.userId;
}

/** The visitor id of a verified user of an inbox: a UUID from a keyed digest (stable, not reversible). */
export function verifiedVisitorId(keyring: Keyring, inboxId: string, userId: string): string {
  const b = keyring.derive('verified-visitor', `${inboxId}\0${userId}`).subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8: custom
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
