/**
 * Fetches the file of an inbound message (getFile, then the file download) into
 * Switchboard's attachment store, within the gateway's size limit and Telegram's
 * 20 MB getFile limit; what cannot be fetched becomes a readable placeholder.
 */
import type { Telegram } from 'telegraf';
import type { ChannelContext } from '../../server/domain/channel';
import type { Attachment } from '../../server/domain/types';
import { isClientError } from './client';
import type { MediaRef } from './updates';

/** Bots may download files of at most 20 MB through getFile. */
export const GETFILE_LIMIT = 20 * 1024 * 1024;

export type Fetched = { attachment: Attachment } | { placeholder: string };

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

export async function fetchMedia(
  ctx: Pick<ChannelContext, 'attachments'>,
  telegram: Telegram,
  ref: MediaRef,
): Promise<Fetched> {
  const limit = Math.min(ctx.attachments.maxBytes, GETFILE_LIMIT);
  const tooLarge = (size: number): Fetched => ({
    placeholder: `[${ref.label} "${ref.name}" (${mb(size)}) is larger than the ${mb(limit)} that can be received; ask for it another way]`,
  });
  const unavailable: Fetched = {
    placeholder: `[${ref.label} "${ref.name}" could not be fetched from Telegram]`,
  };
  if (ref.size !== undefined && ref.size > limit) return tooLarge(ref.size);

  let url: URL;
  try {
    const file = await telegram.getFile(ref.fileId);
    if (file.file_size !== undefined && file.file_size > limit) return tooLarge(file.file_size);
    url = await telegram.getFileLink(file);
  } catch (err) {
    // "file is too big" and unknown files are answered 400: retrying will not help.
    if (isClientError(err))
      return /too big/i.test(err.description) ? tooLarge(ref.size ?? limit + 1) : unavailable;
    throw err;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return unavailable;
  const res = await fetch(url);
  if (res.status >= 400 && res.status < 500) return unavailable;
  if (!res.ok || !res.body) throw new Error(`Telegram file download answered ${res.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).byteLength;
    if (size > limit) return tooLarge(size);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  const attachment = await ctx.attachments.store(Buffer.concat(chunks), {
    name: ref.name,
    contentType: ref.contentType,
  });
  return { attachment };
}
