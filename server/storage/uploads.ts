/**
 * Uploads from browsers (widget visitors and console agents): the raw file as the request
 * body, its name in `?name=`. Only images and common documents are accepted, nothing a
 * browser would run, within the attachment size limit. The caller is authorised before
 * the body is read, and the body is streamed to storage, never buffered whole.
 */
import type { Readable } from 'node:stream';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Attachment } from '../domain/types';
import { FileTooLarge, InvalidInput, UnsupportedFileType } from '../domain/errors';

export const UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

export interface UploadTarget {
  upload(source: Readable, meta: { name: string; contentType: string }): Promise<Attachment>;
  readonly maxBytes: number;
}

/** What an upload's headers say, checked before a byte of its body is read. */
export interface UploadHead {
  contentType: string;
  name: string;
  /** `Content-Length`, when the client sent one. */
  declaredBytes: number | null;
}

/** Refuses an upload on its headers alone: a type not accepted (415) or a declared size over the limit (413). */
export function uploadHead(req: Request, maxBytes: number): UploadHead {
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (!(UPLOAD_TYPES as readonly string[]).includes(contentType))
    throw new UnsupportedFileType(contentType, UPLOAD_TYPES);
  const length = req.headers['content-length'];
  const declaredBytes = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
  if (declaredBytes !== null && declaredBytes > maxBytes) throw new FileTooLarge(maxBytes);
  if (declaredBytes === 0) throw new InvalidInput('The file is empty.');
  const name = typeof req.query.name === 'string' && req.query.name ? req.query.name : 'file';
  return { contentType, name, declaredBytes };
}

/** Streams the body into the store, within the size limit; returns the attachment a message may carry. */
export async function acceptUpload(
  req: Request,
  target: UploadTarget,
  head: UploadHead,
): Promise<Attachment> {
  return target.upload(req, { name: head.name, contentType: head.contentType });
}

/**
 * An upload refused before its body was read closes the connection after the answer, so
 * the rest of the body is not waited for (it is read and dropped, never kept).
 */
export const closeUnread: ErrorRequestHandler = (err, req, res, next) => {
  if (!req.complete) res.set('Connection', 'close');
  next(err);
};

/** The upload's answer: what the client puts on its message. */
export function sendUploaded(res: Response, a: Attachment): void {
  res
    .status(201)
    .json({ attachment: { name: a.name, contentType: a.contentType, size: a.size, url: a.url } });
}
