/**
 * SlaTimers: one Bull delayed job per clock deadline and warning point. Jobs carry ids
 * only and have deterministic job ids, so scheduling twice (or from two processes) is
 * harmless; they live in Redis and survive a gateway restart. The handler re-reads
 * the conversation before acting (see SlaEngine.fire).
 */
import type Bull from 'bull';
import { runWorker, timerQueue } from '../queues/timer-queue';
import type { Logger } from 'pino';
import type { ClockKind } from '../domain/types';

export interface TimerJob {
  conversationId: string;
  clock: ClockKind;
  kind: 'warning' | 'breach';
  startedAt: number;
}

export class SlaTimers {
  private readonly queue: Bull.Queue<TimerJob>;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.queue = timerQueue<TimerJob>('sla-timers', redisUrl, prefix, logger);
  }

  static jobId(j: TimerJob): string {
    return `${j.conversationId}:${j.clock}:${j.kind}:${j.startedAt}`;
  }

  async schedule(j: TimerJob, at: Date): Promise<void> {
    const delay = Math.max(0, at.getTime() - Date.now());
    await this.queue.add(j, { jobId: SlaTimers.jobId(j), delay });
  }

  /** Drops pending jobs of a stopped clock (best effort: the handler ignores stale ones anyway). */
  async cancel(conversationId: string, clock: ClockKind, startedAt: number): Promise<void> {
    for (const kind of ['warning', 'breach'] as const) {
      const job = await this.queue.getJob(SlaTimers.jobId({ conversationId, clock, kind, startedAt }));
      await job?.remove().catch((err: unknown) => this.logger.debug({ err }, 'timer already running'));
    }
  }

  process(handler: (j: TimerJob) => Promise<void>): void {
    runWorker(this.queue, 8, async (job) => handler(job.data), this.logger);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
