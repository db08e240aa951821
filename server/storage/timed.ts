/**
 * `timed`: true while a document has an instant pending (`nextClockAt` set), kept by the
 * model on every write that sets `nextClockAt`. The sweeps that look for instants whose
 * timer did not act select on it by equality: FerretDB on PostgreSQL turns an equality on
 * a boolean into SQL but evaluates a range on a date in its own process, after reading
 * every document of the collection. With the flag a sweep reads the documents whose
 * clocks are running, not the whole history; on MongoDB the compound index serves both.
 */
import type { Model, MongooseQueryMiddleware, Query, Schema } from 'mongoose';

type Obj = Record<string, unknown>;

const UPDATES: MongooseQueryMiddleware[] = ['updateOne', 'updateMany', 'findOneAndUpdate'];

/** Adds `timed` to a schema with a `nextClockAt` path, and the index the sweep uses. */
export function timedFlag(schema: Schema): void {
  schema.add({ timed: { type: Boolean, default: false } });
  schema.pre('save', function () {
    this.set('timed', this.get('nextClockAt') != null);
  });
  schema.pre('insertMany', function (next: (err?: Error) => void, docs: unknown) {
    for (const d of Array.isArray(docs) ? docs : [docs])
      if (d && typeof d === 'object') (d as Obj).timed = (d as Obj).nextClockAt != null;
    next();
  });
  schema.pre(UPDATES, function (this: Query<unknown, unknown>) {
    const update = this.getUpdate() as Obj | null;
    if (!update || Array.isArray(update)) return;
    const set = (update.$set ?? {}) as Obj;
    const unset = (update.$unset ?? {}) as Obj;
    if ('nextClockAt' in set) set.timed = set.nextClockAt != null;
    else if ('nextClockAt' in update) set.timed = update.nextClockAt != null;
    else if ('nextClockAt' in unset) set.timed = false;
    else return;
    this.setUpdate({ ...update, $set: set });
  });
  schema.index({ timed: 1, nextClockAt: 1 });
}

/** The filter of a sweep: documents with an instant at or before `now`. */
export const dueBy = (now: Date) => ({ timed: true, nextClockAt: { $lte: now } });

/**
 * Marks documents stored before the flag existed (or written past the model) that have an
 * instant pending. Idempotent; run at start.
 */
export async function markTimed(model: Pick<Model<unknown>, 'collection'>): Promise<number> {
  const r = await model.collection.updateMany(
    { nextClockAt: { $ne: null }, timed: { $ne: true } },
    { $set: { timed: true } },
  );
  return r.modifiedCount;
}
