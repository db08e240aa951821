/**
 * Uploads from browsers (widget visitors and console agents): the raw file as the request
 * body, its name in `?name=`. Only images and common documents are accepted, nothing a
 * browser would run, within the attachment size limit.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
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
  store(data: Buffer, meta: { name: string; contentType: string }): Promise<Attachment>;
  readonly maxBytes: number;
}

/** Parses the raw body; mount before `acceptUpload`. Anything past the hard cap is refused by the parser. */
export const rawUpload = (): RequestHandler => express.raw({ type: () => true, limit: '50mb' });

/** Checks type and size and stores the file; returns the attachment a message may carry. */
export async function acceptUpload(req: Request, target: UploadTarget): Promise<Attachment> {
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (!(UPLOAD_TYPES as readonly string[]).includes(contentType))
    throw new UnsupportedFileType(contentType, UPLOAD_TYPES);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (body.length === 0) throw new InvalidInput('The file is empty.');
  if (body.length > target.maxBytes) throw new FileTooLarge(target.maxBytes);
  const name = typeof req.query.name === 'string' && req.query.name ? req.query.name : 'file';
  return target.store(body, { name, contentType });
}

/** The upload's answer: what the client puts on its message. */
export function sendUploaded(res: Response, a: Attachment): void {
  res
    .status(201)
    .json({ attachment: { name: a.name, contentType: a.contentType, size: a.size, url: a.url } });
}
