/**
 * AttachmentStore: files customers and agents send (widget uploads, MMS media, Telegram
 * files, email attachments) stored in MongoDB GridFS. Each file is served at a
 * capability URL carrying a random token, so a link works in the widget, the console
 * and an email client without a session, and cannot be guessed.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { mongo, type Connection } from 'mongoose';
import type { Attachment } from '../domain/types';
import { FileTooLarge, InvalidInput, NotFound } from '../domain/errors';
import { writeLimited } from './limited';

export interface AttachmentLimits {
  maxBytes: number;
  /** A file no stored message carries is deleted this long after upload. */
  orphanTtlMs: number;
}

/** What each stored file carries besides GridFS's own fields. */
export interface FileMeta {
  token?: string;
  contentType?: string;
  /** Set at upload; the orphan sweep deletes the file after it unless a message carries it. */
  expiresAt?: Date;
}

/** A send that resolved a file has at least this long to store its message before the sweep may take it. */
const SEND_GRACE_MS = 10 * 60_000;

export class AttachmentStore {
  private readonly bucket: mongo.GridFSBucket;

  constructor(
    db: Connection,
    readonly limits: AttachmentLimits,
  ) {
    if (!db.db) throw new Error('database not connected');
    this.bucket = new mongo.GridFSBucket(db.db, { bucketName: 'attachments' });
    this.files = db.db.collection('attachments.files');
  }

  readonly files: mongo.Collection;

  /** Stores the bytes and returns the attachment to put on a message. */
  async store(data: Buffer, meta: { name: string; contentType: string }): Promise<Attachment> {
    if (data.length > this.limits.maxBytes) {
      throw new InvalidInput(
        `Attachments are limited to ${Math.floor(this.limits.maxBytes / 1024 / 1024)} MB.`,
      );
    }
    const { upload, token, name } = this.open(meta);
    await pipeline(Readable.from(data), upload);
    return this.stored(upload.id, token, name, meta.contentType, data.length);
  }

  /**
   * Stores a file as it arrives, refusing it (`FileTooLarge`) the moment it passes the
   * limit; a refused or interrupted upload leaves nothing behind.
   */
  async upload(source: Readable, meta: { name: string; contentType: string }): Promise<Attachment> {
    const { upload, token, name } = this.open(meta);
    let size: number;
    try {
      size = await writeLimited(
        source,
        upload,
        this.limits.maxBytes,
        () => new FileTooLarge(this.limits.maxBytes),
      );
    } catch (err) {
      await upload.abort().catch(() => undefined);
      throw err;
    }
    if (size === 0) {
      await this.bucket.delete(upload.id).catch(() => undefined);
      throw new InvalidInput('The file is empty.');
    }
    return this.stored(upload.id, token, name, meta.contentType, size);
  }

  private open(meta: { name: string; contentType: string }) {
    const token = randomBytes(16).toString('base64url');
    const name = safeName(meta.name);
    const metadata: FileMeta = {
      token,
      contentType: meta.contentType,
      expiresAt: new Date(Date.now() + this.limits.orphanTtlMs),
    };
    return { upload: this.bucket.openUploadStream(name, { metadata }), token, name };
  }

  private stored(
    fileId: unknown,
    token: string,
    name: string,
    contentType: string,
    size: number,
  ): Attachment {
    const id = String(fileId);
    return {
      name,
      contentType,
      size,
      fileId: id,
      url: `/attachments/${id}/${token}/${encodeURIComponent(name)}`,
    };
  }

  /** Deletes a stored file (the orphan sweep). */
  async delete(fileId: mongo.ObjectId): Promise<void> {
    await this.bucket.delete(fileId).catch((err: unknown) => {
      // Another process's sweep may have deleted it first.
      if (!(err instanceof mongo.MongoRuntimeError)) throw err;
    });
  }

  /**
   * The stored attachments behind capability URLs a client sent: name, type and size come
   * from what was stored, never from the client.
   */
  async resolve(list: { url?: string }[]): Promise<Attachment[]> {
    const out: Attachment[] = [];
    for (const item of list) {
      const [, id, token] = /^\/attachments\/([0-9a-f]{24})\/([A-Za-z0-9_-]+)\//.exec(item.url ?? '') ?? [];
      const [file] = id ? await this.bucket.find({ _id: new mongo.ObjectId(id) }).toArray() : [];
      const meta = file?.metadata as FileMeta | undefined;
      if (!file || !token || meta?.token !== token)
        throw new InvalidInput('An attachment must be a file uploaded here first.');
      if (meta.expiresAt) {
        if (meta.expiresAt.getTime() <= Date.now())
          throw new InvalidInput('The upload has expired; upload the file again.');
        // Keeps the orphan sweep off a file a message is about to carry.
        const floor = new Date(Date.now() + SEND_GRACE_MS);
        if (meta.expiresAt < floor)
          await this.files.updateOne({ _id: file._id }, { $set: { 'metadata.expiresAt': floor } });
      }
      out.push({
        name: file.filename,
        contentType: meta.contentType ?? 'application/octet-stream',
        size: file.length,
        fileId: String(file._id),
        url: `/attachments/${String(file._id)}/${token}/${encodeURIComponent(file.filename)}`,
      });
    }
    return out;
  }

  /** Reads a stored file's bytes (to send it on a channel). */
  async read(fileId: string): Promise<{ data: Buffer; name: string; contentType: string }> {
    if (!mongo.ObjectId.isValid(fileId)) throw new NotFound('Attachment');
    const [file] = await this.bucket.find({ _id: new mongo.ObjectId(fileId) }).toArray();
    if (!file) throw new NotFound('Attachment');
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
    const meta = file.metadata as { contentType?: string } | undefined;
    return {
      data: Buffer.concat(chunks),
      name: file.filename,
      contentType: meta?.contentType ?? 'application/octet-stream',
    };
  }

  /** Serves GET /attachments/:id/:token/:name. */
  router(): express.Router {
    const r = express.Router();
    r.get('/:id/:token/:name', (req, res, next) => {
      (async () => {
        if (!mongo.ObjectId.isValid(req.params.id)) throw new NotFound('Attachment');
        const [file] = await this.bucket.find({ _id: new mongo.ObjectId(req.params.id) }).toArray();
        const meta = file?.metadata as { token?: string; contentType?: string } | undefined;
        if (!file || meta?.token !== req.params.token) throw new NotFound('Attachment');
        // The first chunk is read before any header is set: a file the orphan sweep or an
        // erasure deletes between the lookup and the read is then a plain 404, not a cut connection.
        const chunks = this.bucket.openDownloadStream(file._id)[Symbol.asyncIterator]();
        const first = await chunks.next().catch(() => {
          throw new NotFound('Attachment');
        });
        const type = meta.contentType ?? 'application/octet-stream';
        res.setHeader('Content-Type', type);
        res.setHeader('Content-Length', String(file.length));
        res.setHeader('X-Content-Type-Options', 'nosniff');
        // Only images are shown inline; everything else downloads, so no uploaded HTML runs on our origin.
        const inline = /^image\/(png|jpe?g|gif|webp)$/.test(type);
        res.setHeader(
          'Content-Disposition',
          `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        );
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        await pipeline(Readable.from(resume(first, chunks)), res);
      })().catch(next);
    });
    return r;
  }
}

/** A stream's chunks again, starting from the one already read. */
async function* resume(
  first: IteratorResult<unknown>,
  rest: AsyncIterator<unknown>,
): AsyncGenerator<unknown> {
  for (let next = first; !next.done; next = await rest.next()) yield next.value;
}

/** URLs of stored attachments, the only ones a client may attach to a message. */
export const ATTACHMENT_URL = /^\/attachments\/[0-9a-f]{24}\/[A-Za-z0-9_-]{10,64}\/[^/]{1,2500}$/;

/**
 * Bidirectional controls and invisible characters: `invoice\u202Efdp.exe` would show as
 * `invoiceexe.pdf`, so they are dropped and a name shows what it is.
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

export function safeName(name: string): string {
  const cleaned = name
    .replace(INVISIBLE, '')
    .replace(CONTROL, '_')
    .replace(/[\\/"]/g, '_')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}
