/**
 * The due clock of follow-up tasks. A task is not a conversation (several tasks may
 * follow up one conversation, a manual one none), so its clock lives on the task, with
 * the clock engine's own shape and math (server/sla/clock.ts) and the same machinery:
 * one Bull delayed job per warning point and deadline (deterministic ids), the next point
 * stored and indexed, and a periodic sweep over that index for jobs lost or late. Every
 * point is acted on under the task's lock after a fresh read, so it alerts once.
 */
import type Bull from 'bull';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { FollowUpAlertView } from '../../shared/protocol';
import type { Clock } from '../domain/conversation';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Metrics } from '../observability/metrics';
import { runWorker, timerQueue } from '../queues/timer-queue';
import { pendingPoint } from '../sla/clock';
import type { FollowUpTaskDoc } from './model';
import { DueDocuments } from '../storage/timed';

interface DueJob {
  taskId: string;
  at: number;
}

export const lockKey = (taskId: string) => `followup:${taskId}`;

export const nextPoint = (task: Pick<FollowUpTaskDoc, 'status' | 'clock'>): Date | null =>
  task.status === 'open' ? (pendingPoint(task.clock)?.at ?? null) : null;

export interface DueDeps {
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  metrics: Metrics;
  alert(task: FollowUpTaskDoc, kind: FollowUpAlertView['kind'], at: Date): void;
  now: () => Date;
  sweepIntervalMs: number;
  logger: Logger;
}

export class FollowUpDue {
  private readonly queue: Bull.Queue<DueJob>;
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private readonly due: DueDocuments;

  constructor(
    private readonly d: DueDeps,
    redis: RedisOptions,
    prefix: string,
  ) {
    this.queue = timerQueue<DueJob>('followup-timers', redis, prefix, d.logger);
    this.due = new DueDocuments(d.models.FollowUpTask);
  }

  async schedule(taskId: string, clock: Clock): Promise<void> {
    for (const at of [clock.warnAt, clock.dueAt].map((d) => new Date(d).getTime())) {
      const delay = Math.max(0, at - this.d.now().getTime());
      await this.queue.add({ taskId, at }, { jobId: `${taskId}:${at}`, delay });
    }
  }

  /** Acts on the task's warning point or deadline when it has come; a stale or repeated job finds nothing. */
  async settle(taskId: string): Promise<void> {
    await this.d.locks.run(lockKey(taskId), async () => {
      for (let i = 0; i < 2; i++) {
        const task = await this.d.models.FollowUpTask.findById(taskId).lean<FollowUpTaskDoc>();
        if (!task) return;
        const now = this.d.now();
        const p = task.status === 'open' ? pendingPoint(task.clock) : null;
        if (!p || p.at > now) {
          const expected = nextPoint(task);
          if (String(expected) !== String(task.nextClockAt))
            await this.d.models.FollowUpTask.updateOne(
              { _id: task._id },
              { $set: { nextClockAt: expected } },
            );
          return;
        }
        const field = p.what === 'warning' ? 'warnedAt' : 'breachedAt';
        const clock = { ...task.clock, [field]: now };
        await this.d.models.FollowUpTask.updateOne(
          { _id: task._id },
          { $set: { [`clock.${field}`]: now, nextClockAt: nextPoint({ ...task, clock }) } },
        );
        const kind = p.what === 'warning' ? 'warning' : 'overdue';
        if (task.conversationId && task.inboxId)
          await this.d.timeline.recordOnce(
            { _id: task.conversationId, inboxId: task.inboxId },
            `followup.${kind}`,
            `followup:${taskId}:${kind}`,
            { taskId, reason: task.reason, dueAt: task.dueAt },
          );
        const metric = kind === 'warning' ? this.d.metrics.warnings : this.d.metrics.breaches;
        metric.inc({ clock: 'followup_due', channel: 'none' });
        this.d.alert({ ...task, clock }, kind, now);
      }
    });
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const t of await this.due.at(this.d.now()))
        await this.settle(String(t._id)).catch((err: unknown) =>
          this.d.logger.error({ err, taskId: String(t._id) }, 'follow-up settle failed'),
        );
    } finally {
      this.sweeping = false;
    }
  }

  start(): void {
    runWorker(this.queue, 4, async (job) => this.settle(job.data.taskId), this.d.logger);
    const tick = () => {
      this.sweep()
        .catch((err: unknown) => this.d.logger.error({ err }, 'follow-up sweep failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.d.sweepIntervalMs);
        });
    };
    this.timer = setTimeout(tick, this.d.sweepIntervalMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queue.close();
  }
}
