/**
 * An incoming Twilio message turned into the product's InboundMessage: the sender in
 * E.164, MMS media fetched and stored (too large or unreachable media becomes a note in
 * the text), and the opt-out keywords recognised.
 */
import { z } from 'zod';
import type { ChannelContext, InboundMessage } from '../../server/domain/channel';
import type { Attachment } from '../../server/domain/types';
import { toE164 } from './phone';
import type { SmsSettings } from './settings';

/** Twilio's incoming-message webhook parameters that Switchboard uses (others are ignored). */
export const IncomingSms = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID'),
    AccountSid: z.string().min(1),
    From: z.string().trim().min(1).max(64),
    To: z.string().max(64).default(''),
    Body: z.string().max(1600).default(''),
    NumMedia: z.coerce.number().int().min(0).max(10).default(0),
    FromCountry: z.string().max(8).optional(),
    OptOutType: z.string().max(16).optional(),
  })
  .passthrough();
export type IncomingSms = z.infer<typeof IncomingSms>;

export type Keyword = 'stop' | 'start' | 'help';

/** Twilio's default keywords on long codes; a keyword counts only as the whole message. */
const KEYWORDS: Record<string, Keyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  REVOKE: 'stop',
  OPTOUT: 'stop',
  START: 'start',
  YES: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

/** The opt-out keyword a message is, from Twilio's OptOutType when present, else its body. */
export function keywordOf(m: Pick<IncomingSms, 'Body' | 'OptOutType'>): Keyword | null {
  const named = m.OptOutType?.trim().toUpperCase();
  if (named) return KEYWORDS[named] ?? null;
  return KEYWORDS[m.Body.trim().toUpperCase()] ?? null;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/mpeg': 'mp3',
  'audio/amr': 'amr',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'application/pdf': 'pdf',
};

interface MediaItem {
  url: string;
  contentType: string;
}

function mediaItems(m: IncomingSms): MediaItem[] {
  const items: MediaItem[] = [];
  const params = m as Record<string, unknown>;
  for (let i = 0; i < m.NumMedia; i++) {
    const url = params[`MediaUrl${i}`];
    const type = params[`MediaContentType${i}`];
    if (typeof url === 'string' && /^https?:\/\//.test(url))
      items.push({ url, contentType: typeof type === 'string' && type ? type : 'application/octet-stream' });
  }
  return items;
}

const readableSize = (n: number) =>
  n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/** Reads a response body up to `max` bytes; null when it is larger. */
async function readCapped(res: globalThis.Response, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * Fetches each MMS file with the account's credentials and stores it. A file over the
 * size limit, or one Twilio does not serve in time, leaves a note instead: the text of
 * the message is never lost for its media. Storage errors propagate (the webhook fails
 * and Twilio may retry).
 */
async function fetchMedia(
  ctx: ChannelContext,
  settings: SmsSettings,
  items: MediaItem[],
  deadlineMs: number,
): Promise<{ attachments: Attachment[]; notes: string[]; sources: string[] }> {
  const auth = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  const max = ctx.attachments.maxBytes;
  for (const [i, item] of items.entries()) {
    const name = `mms-${i + 1}.${EXTENSIONS[item.contentType] ?? 'bin'}`;
    let res: globalThis.Response;
    try {
      res = await fetch(item.url, {
        headers: { authorization: auth },
        signal: AbortSignal.timeout(Math.max(1, deadlineMs - Date.now())),
      });
    } catch (err) {
      ctx.logger.warn({ err: (err as Error).message, name }, 'MMS media could not be fetched');
      notes.push(`[${name} (${item.contentType}) could not be fetched from Twilio]`);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      ctx.logger.warn({ status: res.status, name }, 'MMS media could not be fetched');
      notes.push(`[${name} (${item.contentType}) could not be fetched from Twilio]`);
      continue;
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    let data: Buffer | null = null;
    if (declared > max) await res.body?.cancel();
    else data = await readCapped(res, max);
    if (!data) {
      const size = Number.isFinite(declared) ? `, ${readableSize(declared)}` : '';
      notes.push(
        `[${name} (${item.contentType}${size}) is over the ${readableSize(max)} limit and was not kept]`,
      );
      continue;
    }
    const contentType = res.headers.get('content-type')?.split(';')[0]?.trim() || item.contentType;
    attachments.push(await ctx.attachments.store(data, { name, contentType }));
  }
  return { attachments, notes, sources: items.map((m) => m.url) };
}

/** The normalised message for ingest; media fetching is bounded by `deadlineMs`. */
export async function toInboundMessage(
  ctx: ChannelContext,
  inboxId: string,
  settings: SmsSettings,
  m: IncomingSms,
  deadlineMs: number,
): Promise<InboundMessage> {
  const phone = toE164(m.From, m.FromCountry);
  const media = await fetchMedia(ctx, settings, mediaItems(m), deadlineMs);
  const keyword = keywordOf(m);
  const text = [m.Body, ...media.notes].filter((s) => s.length > 0).join('\n');
  return {
    inboxId,
    // Short codes and sender names are no phone numbers: they keep their own form.
    from: { channel: 'sms', address: phone ?? m.From },
    profile: { phone },
    dedupeKey: `twilio:${m.MessageSid}`,
    text,
    attachments: media.attachments,
    // A STOP owes no answer: Twilio would refuse to deliver one.
    automated: keyword === 'stop',
    meta: {
      messageSid: m.MessageSid,
      to: m.To,
      ...(keyword ? { keyword } : {}),
      ...(media.sources.length > 0 ? { mediaUrls: media.sources } : {}),
    },
  };
}
