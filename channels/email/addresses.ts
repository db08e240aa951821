/**
 * Conversation reply tokens: a signed, opaque name for a conversation carried in the
 * Reply-To plus-address (support+c-<token>@domain) and in the Message-IDs we generate,
 * so a reply finds its conversation even when a mail client drops the References header.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN = /^[a-z2-7]{32}$/;

/** Lower-case base32: tokens survive mail servers that change the case of addresses. */
function base32(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    value = (value << 5) | ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export class ReplyTokens {
  constructor(private readonly secret: string) {}

  private mac(id: Buffer): Buffer {
    return createHmac('sha256', this.secret).update('email-reply:').update(id).digest().subarray(0, 8);
  }

  /** 12 bytes of conversation id + 8 bytes of signature, base32 (32 characters). */
  issue(conversationId: string): string {
    const id = Buffer.from(conversationId, 'hex');
    return base32(Buffer.concat([id, this.mac(id)]));
  }

  /** The conversation a token names, or null when it is malformed or not ours. */
  verify(token: string): string | null {
    const lower = token.toLowerCase();
    if (!TOKEN.test(lower)) return null;
    const raw = unbase32(lower);
    if (raw.length !== 20) return null;
    const id = raw.subarray(0, 12);
    const sig = raw.subarray(12);
    return timingSafeEqual(sig, this.mac(id)) ? id.toString('hex') : null;
  }
}

export function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** support@example.com + token → support+c-<token>@example.com */
export function replyAddress(fromAddress: string, token: string): string {
  const { local, domain } = splitAddress(fromAddress);
  return `${local}+c-${token}@${domain}`;
}

/** The token of a plus-address of our own support address, if `address` is one. */
export function tokenOfAddress(fromAddress: string, address: string): string | null {
  const mine = splitAddress(fromAddress.toLowerCase());
  const { local, domain } = splitAddress(address.toLowerCase());
  if (domain !== mine.domain) return null;
  const prefix = `${mine.local}+c-`;
  return local.startsWith(prefix) ? local.slice(prefix.length) : null;
}

/**
 * The Message-ID of an outgoing email: the conversation's token and the stored message's
 * id, so a retried send repeats the same id and mail clients show it once.
 */
export function messageIdFor(fromAddress: string, token: string, messageId: string): string {
  return `<sb.${token}.${messageId}@${splitAddress(fromAddress).domain}>`;
}

/** The token inside one of our Message-IDs, if `messageId` is one. */
export function tokenOfMessageId(messageId: string): string | null {
  const m = /^<?sb\.([a-z2-7]{32})\.[0-9a-f]+@[^>]+>?$/i.exec(messageId.trim());
  return m?.[1] ?? null;
}
