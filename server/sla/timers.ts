/**
 * SlaTimers: one Bull delayed job per clock warning point and deadline. Jobs carry ids
 * only and have deterministic job ids (conversation, clock, run, point), so scheduling
 * twice (or from two processes) is harmless, and a re-targeted clock gets new jobs while
 * the old ones find nothing due; they live in Redis and survive a gateway restart. The
 * handler re-reads the conversation before acting (see SlaEngine.settle).
 */
import type Bull from 'bull';
import { runWorker, timerQueue } from '../queues/timer-queue';
import type { Logger } from 'pino';
import type { Clock } from '../domain/conversation';
import type { ClockKind } from '../domain/types';

export interface TimerJob {
  conversationId: string;
  clock: ClockKind;
  kind: 'warning' | 'breach';
  startedAt: number;
  /** The point the job is for (absent on jobs scheduled before clocks could be re-targeted). */
  at?: number;
}

export class SlaTimers {
  private readonly queue: Bull.Queue<TimerJob>;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {
    this.queue = timerQueue<TimerJob>('sla-timers', redisUrl, prefix, logger);
  }

  static jobId(j: TimerJob): string {
    return `${j.conversationId}:${j.clock}:${j.kind}:${j.startedAt}:${j.at ?? ''}`;
  }

  private jobs(conversationId: string, clock: ClockKind, c: Clock): TimerJob[] {
    const startedAt = new Date(c.startedAt).getTime();
    return [
      { conversationId, clock, kind: 'warning', startedAt, at: new Date(c.warnAt).getTime() },
      { conversationId, clock, kind: 'breach', startedAt, at: new Date(c.dueAt).getTime() },
    ];
  }

  /** Schedules the warning and the deadline of a running clock. */
  async schedule(conversationId: string, clock: ClockKind, c: Clock): Promise<void> {
    for (const j of this.jobs(conversationId, clock, c)) {
      const delay = Math.max(0, (j.at ?? 0) - this.now().getTime());
      await this.queue.add(j, { jobId: SlaTimers.jobId(j), delay });
    }
  }

  /** Drops the pending jobs of a clock run (best effort: the handler ignores stale ones anyway). */
  async cancel(conversationId: string, clock: ClockKind, c: Clock): Promise<void> {
    for (const j of this.jobs(conversationId, clock, c)) {
      const job = await this.queue.getJob(SlaTimers.jobId(j));
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
