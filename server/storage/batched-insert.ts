/**
 * Batched inserts: documents of one collection handed in during the same turn of the event
 * loop go to the database as one unordered insert command instead of one command each, so
 * concurrent work (messages of many conversations at once) costs the database far fewer
 * round trips and commits. Each caller learns its own document's fate only: stored, or its
 * own error (a duplicate key keeps code 11000), while the others in the batch are stored.
 *
 * A document is prepared as `Model.create` would prepare it (cast, defaults, timestamps,
 * validation, sealed fields sealed), but without a hydrated document's save machinery;
 * what the caller gets back is the clear plain document.
 */
import type { Document, Model } from 'mongoose';
import { sealForInsert } from '../privacy/plugin';

type Plain = Record<string, unknown>;
interface Pending {
  doc: Plain;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The per-document failures of an unordered insert, by position in the batch; null if the whole command failed. */
function writeErrorsOf(err: unknown): Map<number, Error> | null {
  const list = (err as { writeErrors?: unknown } | null)?.writeErrors;
  const errors = Array.isArray(list) ? list : list ? [list] : [];
  if (errors.length === 0) return null;
  const byIndex = new Map<number, Error>();
  for (const w of errors as { index: number; code?: number; errmsg?: string; message?: string }[])
    byIndex.set(w.index, Object.assign(new Error(w.errmsg ?? w.message ?? 'write failed'), { code: w.code }));
  return byIndex;
}

export class BatchedInsert<T> {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly model: Model<T>,
    private readonly maxBatch = 200,
  ) {}

  /** Stores one document (cast, validated and sealed like `create`) and returns it in the clear. */
  async create(fields: Partial<T>): Promise<T> {
    const doc = new this.model(fields) as Document & { initializeTimestamps?: () => void };
    doc.initializeTimestamps?.();
    const invalid = doc.validateSync();
    if (invalid) throw invalid;
    const options = { depopulate: true, virtuals: false, getters: false };
    const stored = doc.toObject(options) as Plain;
    const versionKey = this.model.schema.get('versionKey');
    if (typeof versionKey === 'string') stored[versionKey] = 0;
    sealForInsert(this.model as Model<unknown>, stored);
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ doc: stored, resolve, reject });
      this.schedule();
    });
    return doc.toObject(options) as T;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    if (this.pending.length > 0) this.schedule();
    if (batch.length === 0) return;
    try {
      await this.model.collection.insertMany(
        batch.map((p) => p.doc),
        { ordered: false },
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      const failed = writeErrorsOf(err);
      batch.forEach((p, i) => {
        const own = failed ? failed.get(i) : err;
        if (own) p.reject(own);
        else p.resolve();
      });
    }
  }
}
