/** A Bull queue of delayed timer jobs: ids only in the job, deterministic job ids, a few quick retries. */
import Bull from 'bull';

export function timerQueue<T>(name: string, redisUrl: string, prefix: string): Bull.Queue<T> {
  return new Bull<T>(name, redisUrl, {
    prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 3,
      backoff: { type: 'fixed', delay: 200 },
    },
  });
}
