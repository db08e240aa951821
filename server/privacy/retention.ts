/**
 * Retention: resolved conversations are kept for the configured period, then deleted with
 * everything that hangs on them (messages, files, timeline, surveys, complaints, tasks).
 * A background sweep over the (status, resolvedAt) index takes them in batches; every
 * process may sweep, the deletes are idempotent.
 */
import type { Logger } from 'pino';
import type { StaffAudit } from '../audit/log';
import type { Models } from '../domain/models';
import type { Deleted, Erasure } from './erasure';

const BATCH = 200;

export interface RetentionOptions {
  /** How long a resolved conversation is kept; 0 keeps it forever. */
  resolvedMs: number;
  sweepIntervalMs: number;
}

export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly d: {
      models: Models;
      erasure: Erasure;
      audit: StaffAudit;
      now: () => Date;
      logger: Logger;
    },
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    if (this.options.resolvedMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.d.logger.error({ err }, 'retention sweep failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  /** Deletes every resolved conversation older than the period; returns what went. */
  async sweep(): Promise<Deleted> {
    const deleted: Deleted = {};
    if (this.options.resolvedMs <= 0) return deleted;
    const before = new Date(this.d.now().getTime() - this.options.resolvedMs);
    for (;;) {
      const old = await this.d.models.Conversation.find(
        { status: 'resolved', resolvedAt: { $lt: before } },
        { _id: 1 },
      )
        .limit(BATCH)
        .lean();
      if (old.length === 0) break;
      await this.d.erasure.conversations(
        old.map((c) => c._id),
        deleted,
      );
      if (old.length < BATCH) break;
    }
    if (deleted.conversations) {
      this.d.logger.info({ deleted, before }, 'resolved conversations past retention deleted');
      await this.d.audit.record({
        actorId: null,
        action: 'retention.swept',
        details: { resolvedBefore: before.toISOString(), deleted },
      });
    }
    return deleted;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
