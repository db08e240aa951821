/** Attachment limits shown before upload, and the upload itself (the file as the request body). */
import type { AttachmentView } from '../../shared/protocol';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Why a file cannot be sent, or null when it can. */
export function attachmentProblem(file: { type: string; size: number }): 'tooBig' | 'badType' | null {
  if (!ACCEPT.split(',').includes(file.type)) return 'badType';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'tooBig';
  return null;
}

export class UploadUnavailable extends Error {}

export async function upload(origin: string, token: string, file: File): Promise<AttachmentView> {
  const res = await fetch(`${origin}/channels/webchat/uploads?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': file.type },
    body: file,
  });
  if (res.status === 404 || res.status === 405) throw new UploadUnavailable();
  if (!res.ok) throw new Error(`upload failed (${res.status})`);
  const body = (await res.json()) as AttachmentView | { attachment: AttachmentView };
  return 'attachment' in body ? body.attachment : body;
}
