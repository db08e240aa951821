/**
 * Copies a request body into a store as it arrives, counting bytes, and stops the moment
 * it passes a limit: nothing is buffered beyond the store's own chunk, and a refused body
 * is drained (not kept) so the client still reads the answer.
 */
import type { Readable, Writable } from 'node:stream';

export function writeLimited(
  source: Readable,
  sink: Writable,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let size = 0;
    let settled = false;
    const done = (err: Error | null) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('aborted', onAborted);
      source.off('error', onError);
      sink.off('error', onError);
      if (!err) return resolve(size);
      // The rest of a refused body is read and dropped; the store's pending write settles first.
      source.resume();
      if (sink.writableLength === 0) return reject(err);
      sink.write(Buffer.alloc(0), () => reject(err));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge());
      if (!sink.write(chunk)) {
        source.pause();
        sink.once('drain', () => source.resume());
      }
    };
    const onEnd = () => {
      sink.end(() => done(null));
    };
    const onAborted = () => done(new Error('the upload was interrupted'));
    const onError = (err: Error) => done(err);
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('aborted', onAborted);
    source.once('error', onError);
    sink.once('error', onError);
  });
}
