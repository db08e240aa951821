/** A Bull queue of delayed timer jobs: ids only in the job, deterministic job ids, a few quick retries. */
import Bull from 'bull';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

export function timerQueue<T>(
  name: string,
  redis: RedisOptions,
  prefix: string,
  logger: Logger,
): Bull.Queue<T> {
  const queue = new Bull<T>(name, {
    redis,
    prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 3,
      backoff: { type: 'fixed', delay: 200 },
    },
  });
  logQueueErrors(queue, logger);
  return queue;
}

/**
 * Starts the queue's worker. `process()` settles only when the worker stops, and rejects
 * when the queue is closed before its worker got going (an inbox restarted at once):
 * that rejection is expected then and logged otherwise, never left unhandled.
 */
export function runWorker<T>(
  queue: Bull.Queue<T>,
  concurrency: number,
  handler: (job: Bull.Job<T>) => Promise<void>,
  logger: Logger,
): void {
  queue.process(concurrency, handler).catch((err: unknown) => {
    const closing = (queue as Bull.Queue<T> & { closing?: Promise<void> }).closing;
    if (closing) logger.debug({ err, queue: queue.name }, 'worker stopped while the queue closed');
    else logger.error({ err, queue: queue.name }, 'queue worker failed');
  });
}

/** Bull re-emits its connections' errors on the queue; they are logged, and Bull reconnects. */
export function logQueueErrors(queue: Bull.Queue, logger: Logger): void {
  queue.on('error', (err: Error) => logger.error({ err, queue: queue.name }, 'queue error'));
}
