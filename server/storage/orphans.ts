/**
 * The orphan sweep: an uploaded file that no stored message carries is deleted once its
 * `expiresAt` passes; one a message carries loses its expiry and is kept. Safe with several
 * processes: each step is idempotent, and a file being sent has its expiry pushed out.
 */
import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import type { MessageDoc } from '../domain/message';
import type { AttachmentStore } from './attachments';

const BATCH = 200;

export class OrphanSweep {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: AttachmentStore,
    private readonly messages: Model<MessageDoc>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Index on the expiry the sweep reads (files carried by messages have none). */
  async ensureIndex(): Promise<void> {
    await this.store.files.createIndex({ 'metadata.expiresAt': 1 });
  }

  /** Deletes the orphans due by `now`; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const due = await this.store.files
      .find({ 'metadata.expiresAt': { $lte: now } }, { projection: { _id: 1 } })
      .limit(BATCH)
      .toArray();
    let deleted = 0;
    for (const { _id } of due) {
      if (await this.messages.exists({ 'attachments.fileId': String(_id) })) {
        await this.store.files.updateOne({ _id }, { $unset: { 'metadata.expiresAt': '' } });
      } else {
        await this.store.delete(_id);
        deleted++;
      }
    }
    return deleted;
  }

  start(): void {
    const tick = () => {
      this.sweep()
        .catch((err: unknown) => this.logger.error({ err }, 'orphan upload sweep failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
