/**
 * SlaTimers: one Bull delayed job per conversation for the next instant one of its clocks
 * warns or falls due (the conversation's `nextClockAt`). Jobs carry ids only and have
 * deterministic job ids (conversation, instant), so scheduling twice (or from two
 * processes) is harmless, and a clock that stopped or moved leaves a job that finds
 * nothing due; they live in Redis and survive a gateway restart. The handler re-reads the
 * conversation before acting (see SlaEngine.settle).
 */
import type Bull from 'bull';
import { runWorker, timerQueue } from '../queues/timer-queue';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

export interface TimerJob {
  conversationId: string;
  /** The instant the job is for: the conversation's next warning point or deadline then. */
  at: number;
}

export class SlaTimers {
  private readonly queue: Bull.Queue<TimerJob>;

  constructor(
    redis: RedisOptions,
    prefix: string,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {
    this.queue = timerQueue<TimerJob>('sla-timers', redis, prefix, logger);
  }

  static jobId(j: TimerJob): string {
    return `${j.conversationId}:${j.at}`;
  }

  /**
   * Wakes the engine for the conversation at `at` (its next point across every clock). One
   * job per conversation and instant, whatever the number of clocks; a job whose point has
   * moved finds nothing due and does nothing.
   */
  async schedule(conversationId: string, at: Date): Promise<void> {
    const j: TimerJob = { conversationId, at: at.getTime() };
    const delay = Math.max(0, j.at - this.now().getTime());
    await this.queue.add(j, { jobId: SlaTimers.jobId(j), delay });
  }

  process(handler: (j: TimerJob) => Promise<void>): void {
    runWorker(this.queue, 8, async (job) => handler(job.data), this.logger);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
