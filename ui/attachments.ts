/**
 * Attachments in the browser (widget and console): the server's upload limits, shown
 * before a file is picked, the upload itself (the file as the request body), and the link
 * or thumbnail a message shows for each attachment.
 */
import type { AttachmentView } from '../shared/protocol';
import { h, safeUrl } from './dom';

export interface UploadLimits {
  maxBytes: number;
  types: string[];
}

/** Until the server's limits arrive: the defaults it ships with. */
export const DEFAULT_LIMITS: UploadLimits = {
  maxBytes: 10 * 1024 * 1024,
  types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
};

export async function fetchLimits(url: string, token: string | null = null): Promise<UploadLimits> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`limits unavailable (${res.status})`);
  return (await res.json()) as UploadLimits;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Why a file cannot be sent, or null when it can. */
export function attachmentProblem(
  file: { type: string; size: number },
  limits: UploadLimits,
): 'tooBig' | 'badType' | null {
  if (!limits.types.includes(file.type)) return 'badType';
  if (file.size > limits.maxBytes) return 'tooBig';
  return null;
}

export class UploadUnavailable extends Error {}

/** Uploads one file to `endpoint` (`?name=` is added) and returns what a message carries. */
export async function upload(endpoint: string, token: string, file: File): Promise<AttachmentView> {
  const res = await fetch(`${endpoint}?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': file.type },
    body: file,
  });
  if (res.status === 404 || res.status === 405) throw new UploadUnavailable();
  if (!res.ok) throw new Error(`upload failed (${res.status})`);
  const body = (await res.json()) as AttachmentView | { attachment: AttachmentView };
  return 'attachment' in body ? body.attachment : body;
}

/** An attachment in a message: a thumbnail for images, a link for other files, text when unsafe. */
export function attachmentLink(a: AttachmentView, origin: string): HTMLElement {
  const url = safeUrl(a.url, origin);
  if (!url) return h('span', { class: 'att', text: `📎 ${a.name}` });
  const link = h('a', { class: 'att', href: url, target: '_blank', rel: 'noopener noreferrer' });
  if (a.contentType.startsWith('image/')) link.append(h('img', { src: url, alt: a.name }));
  else link.textContent = `📎 ${a.name}`;
  return link;
}
