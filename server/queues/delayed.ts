/**
 * RoutingTimers: Bull delayed jobs for offer expiry and the offline grace period.
 * Jobs carry ids only; handlers re-read state, and periodic sweeps back them up.
 */
import type Bull from 'bull';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { runWorker, timerQueue } from './timer-queue';

export type RoutingJob =
  | { type: 'offer-expiry'; conversationId: string; agentId: string }
  | { type: 'agent-offline'; agentId: string; since: number };

export class RoutingTimers {
  private readonly queue: Bull.Queue<RoutingJob>;

  constructor(
    redis: RedisOptions,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.queue = timerQueue<RoutingJob>('routing-timers', redis, prefix, logger);
  }

  async schedule(job: RoutingJob, at: Date, jobId: string): Promise<void> {
    await this.queue.add(job, { jobId, delay: Math.max(0, at.getTime() - Date.now()) });
  }

  process(handler: (job: RoutingJob) => Promise<void>): void {
    runWorker(this.queue, 4, async (job) => handler(job.data), this.logger);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
