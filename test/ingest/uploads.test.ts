/**
 * Uploads are authorised before a byte of their body is read, stored as they stream
 * within the size limit, bounded per visitor session, and forgotten when never sent.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mongo, Types } from 'mongoose';
import type { AttachmentView, MessageView } from '../../shared/protocol';
import { errorHandler } from '../../server/http/errors';
import { AttachmentStore, safeName } from '../../server/storage/attachments';
import {
  call,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const MAX = 64 * 1024;
const gw = suiteGateway({
  env: {
    ATTACHMENT_MAX_BYTES: String(MAX),
    UPLOAD_QUOTA_FILES: '3',
    UPLOAD_QUOTA_BYTES: String(2.5 * MAX),
    UPLOAD_ORPHAN_TTL_S: '2',
    UPLOAD_SWEEP_INTERVAL_MS: '200',
  },
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error?: { code: string; message: string; retryAfterMs?: number }; attachment?: AttachmentView };
  /** Bytes of the body the client had written when the answer came. */
  sentBytes: number;
}

/**
 * Starts an upload and writes `chunks` chunks of 16 KB, then waits for the answer without
 * ever finishing the body (unless `finish`): an answer proves the server did not wait for it.
 */
function upload(
  path: string,
  headers: Record<string, string>,
  opts: { chunks: number; finish?: boolean },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, gw.url);
    const req = request(url, { method: 'POST', headers });
    let sentBytes = 0;
    req.on('error', () => undefined); // the server may close after answering
    req.flushHeaders();
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text || '{}'),
          sentBytes,
        });
      });
    });
    const chunk = Buffer.alloc(16 * 1024, 7);
    for (let i = 0; i < opts.chunks; i++) {
      req.write(chunk);
      sentBytes += chunk.length;
    }
    if (opts.finish) req.end();
    setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref();
  });
}

const visitorUpload = (name = 'scan.png') => `/channels/webchat/uploads?name=${encodeURIComponent(name)}`;
const auth = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'image/png',
  ...extra,
});

const countChunks = () => gw.app.db.db!.collection('attachments.chunks').countDocuments();

it('refuses an upload without a valid session before reading its body', async () => {
  const declared = { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) };
  const anonymous = await upload(visitorUpload(), declared, { chunks: 1 });
  expect(anonymous.status).toBe(401);
  expect(anonymous.sentBytes).toBeLessThan(MAX);
  const forged = await upload(
    visitorUpload(),
    { ...declared, authorization: 'Bearer forged' },
    { chunks: 1 },
  );
  expect(forged.status).toBe(401);
  // The console's upload endpoint too.
  const agentless = await upload('/api/uploads?name=x.png', declared, { chunks: 1 });
  expect(agentless.status).toBe(401);
});

it('refuses a declared size over the limit at once, and stops a streamed one the moment it passes', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const declared = await upload(visitorUpload(), auth(s.token, { 'content-length': String(MAX + 1) }), {
    chunks: 1,
  });
  expect(declared.status).toBe(413);
  expect(declared.body.error).toMatchObject({ code: 'too_large', maxBytes: MAX });

  const before = await countChunks();
  // No Content-Length (chunked): refused while streaming, with nothing kept.
  const streamed = await upload(visitorUpload(), auth(s.token), { chunks: 6 });
  expect(streamed.status).toBe(413);
  expect(await countChunks()).toBe(before);

  // The same visitor can still upload a file within the limit.
  const fine = await upload(visitorUpload(), auth(s.token), { chunks: 2, finish: true });
  expect(fine.status).toBe(201);
  expect(fine.body.attachment).toMatchObject({ size: 32 * 1024, contentType: 'image/png' });
  const agent = await createAgent(gw);
  const staff = await upload(
    '/api/uploads?name=y.png',
    { authorization: `Bearer ${agent.token}`, 'content-type': 'image/png' },
    { chunks: 5 },
  );
  expect(staff.status).toBe(413);
});

it('limits uploads per visitor session and says when to try again', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  for (let i = 0; i < 3; i++) {
    const ok = await upload(visitorUpload(), auth(s.token), { chunks: 1, finish: true });
    expect(ok.status).toBe(201);
  }
  const over = await upload(visitorUpload(), auth(s.token), { chunks: 1, finish: true });
  expect(over.status).toBe(429);
  expect(over.body.error).toMatchObject({ code: 'quota_exceeded' });
  expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  // Another visitor has an allowance of their own.
  const other = await openVisitorSession(gw.url, inbox.key);
  expect((await upload(visitorUpload(), auth(other.token), { chunks: 1, finish: true })).status).toBe(201);
  // Bytes count too: a declared size past the session's remaining bytes is refused.
  const third = await openVisitorSession(gw.url, inbox.key);
  const head = { 'content-length': String(MAX) };
  for (let i = 0; i < 2; i++) {
    const res = await upload(visitorUpload(), auth(third.token, head), { chunks: 4, finish: true });
    expect(res.status).toBe(201);
  }
  const bytesOver = await upload(visitorUpload(), auth(third.token, head), {
    chunks: 0,
  });
  expect(bytesOver.status).toBe(429);
});

it('deletes an upload never sent with a message, and keeps one that was', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const kept = await upload(visitorUpload('kept.png'), auth(s.token), { chunks: 1, finish: true });
  const orphan = await upload(visitorUpload('orphan.png'), auth(s.token), { chunks: 1, finish: true });
  const v = await connectVisitor(gw.url, s.token);
  try {
    const m = await call<MessageView>(v, 'message:send', {
      clientId: 'with-file',
      text: 'here it is',
      attachments: [kept.body.attachment],
    });
    expect(m.attachments).toHaveLength(1);
  } finally {
    v.close();
  }
  await eventually(
    async () => (await fetch(`${gw.url}${orphan.body.attachment!.url}`)).status,
    (status) => status === 404,
    10_000,
    200,
  );
  expect((await fetch(`${gw.url}${kept.body.attachment!.url}`)).status).toBe(200);
  // Once the sent file's own expiry passes, the sweep finds the message carrying it and keeps it for good.
  const files = gw.app.db.db!.collection('attachments.files');
  const fileId = kept.body.attachment!.url!.split('/')[2]!;
  await files.updateOne({ _id: new Types.ObjectId(fileId) }, { $set: { 'metadata.expiresAt': new Date(0) } });
  await eventually(
    () => files.findOne({ _id: new Types.ObjectId(fileId) }),
    (f) => f !== null && (f.metadata as { expiresAt?: Date }).expiresAt === undefined,
    10_000,
    200,
  );
  expect((await fetch(`${gw.url}${kept.body.attachment!.url}`)).status).toBe(200);
});

it('answers 404 for a file deleted between its lookup and its bytes, rather than cutting the connection', async () => {
  const store = new AttachmentStore(gw.app.db, { maxBytes: MAX, orphanTtlMs: 60_000 });
  const file = await store.store(Buffer.alloc(1000, 1), { name: 'gone.png', contentType: 'image/png' });
  const fileId = new Types.ObjectId(file.url!.split('/')[2]!);
  // The orphan sweep or an erasure deletes the file just after the download looked it up.
  const bucket = (store as unknown as { bucket: mongo.GridFSBucket }).bucket;
  const find = bucket.find.bind(bucket);
  bucket.find = (filter) => {
    const cursor = find(filter);
    const toArray = cursor.toArray.bind(cursor);
    cursor.toArray = async () => {
      const found = await toArray();
      await bucket.delete(fileId);
      return found;
    };
    return cursor;
  };
  const app = express();
  app.use('/attachments', store.router());
  app.use(errorHandler(gw.app.logger));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${file.url!}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

it('stores file names without bidirectional or invisible controls', async () => {
  expect(safeName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  expect(safeName('a\u2066b\u2069c\u200Fd\u061C.pdf')).toBe('abcd.pdf');
  expect(safeName('zero\u200Bwidth\uFEFF.png')).toBe('zerowidth.png');
  expect(safeName('line\r\nbreak\u0000.txt')).toBe('line__break_.txt');
  expect(safeName('\u202E')).toBe('file');
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const res = await upload(visitorUpload('invoice\u202Efdp.exe'), auth(s.token), {
    chunks: 1,
    finish: true,
  });
  expect(res.body.attachment?.name).toBe('invoicefdp.exe');
});
