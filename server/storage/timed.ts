/**
 * Finding the documents whose instant (`nextClockAt`) has passed, at a cost that grows with
 * what is due, not with what is stored or what is running.
 *
 * FerretDB on PostgreSQL turns an equality into SQL but evaluates a range on a date in its
 * own process, after reading every document the equalities left. So the model keeps two
 * fields beside `nextClockAt` on every write that sets it:
 *
 * - `timed`: true while an instant is pending;
 * - `timedSlot`: the instant's slot, its time divided into `SLOT_MS` steps.
 *
 * A sweep reads the slots from the oldest one that may still hold something due up to the
 * present one, each by equality: usually one slot, the documents due within a few seconds.
 * At start, after its clock jumps and every `DEEP_EVERY_MS` it reads every running
 * document (`timed`) instead, for an instant already past when it was written or one left
 * over from a process that stopped. On MongoDB the compound indexes serve both reads.
 */
import type { Model, MongooseQueryMiddleware, Query, Schema, Types } from 'mongoose';

type Obj = Record<string, unknown>;

export const SLOT_MS = 5_000;
/** How often a sweep reads every running document rather than the slots. */
export const DEEP_EVERY_MS = 10 * 60_000;
/** More slots than this behind (a process that slept, a clock that jumped) and it reads them all. */
const MAX_SLOTS_BEHIND = 12;

const UPDATES: MongooseQueryMiddleware[] = ['updateOne', 'updateMany', 'findOneAndUpdate'];

export function slotOf(at: unknown): number | null {
  if (at == null) return null;
  const t = new Date(at as string | number | Date).getTime();
  return Number.isFinite(t) ? Math.floor(t / SLOT_MS) : null;
}

function mark(target: Obj, at: unknown): void {
  target.timed = at != null;
  target.timedSlot = slotOf(at);
}

/** Adds `timed` and `timedSlot` to a schema with a `nextClockAt` path, and the sweep's indexes. */
export function timedFlag(schema: Schema): void {
  schema.add({ timed: { type: Boolean, default: false }, timedSlot: { type: Number, default: null } });
  schema.pre('save', function () {
    const at: unknown = this.get('nextClockAt');
    this.set({ timed: at != null, timedSlot: slotOf(at) });
  });
  schema.pre('insertMany', function (next: (err?: Error) => void, docs: unknown) {
    for (const d of Array.isArray(docs) ? docs : [docs])
      if (d && typeof d === 'object') mark(d as Obj, (d as Obj).nextClockAt);
    next();
  });
  schema.pre(UPDATES, function (this: Query<unknown, unknown>) {
    const update = this.getUpdate() as Obj | null;
    if (!update || Array.isArray(update)) return;
    const set = (update.$set ?? {}) as Obj;
    const unset = (update.$unset ?? {}) as Obj;
    if ('nextClockAt' in set) mark(set, set.nextClockAt);
    else if ('nextClockAt' in update) mark(set, update.nextClockAt);
    else if ('nextClockAt' in unset) mark(set, null);
    else return;
    this.setUpdate({ ...update, $set: set });
  });
  schema.index({ timed: 1, nextClockAt: 1 });
  schema.index({ timedSlot: 1, nextClockAt: 1 });
}

interface Due {
  _id: Types.ObjectId;
  nextClockAt?: Date | null;
}

/** One sweep's memory of where the due documents can be; one per sweep and collection. */
export class DueDocuments {
  /** The oldest slot that may still hold a due document; null until a full read. */
  private from: number | null = null;
  private fullReadAt = -Infinity;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly model: Model<any>) {}

  /** Up to `limit` documents whose instant is at or before `now`, earliest first. */
  async at(now: Date, limit = 200): Promise<Due[]> {
    const slot = slotOf(now)!;
    const t = now.getTime();
    const from = this.from;
    if (
      from === null ||
      slot < from ||
      slot - from > MAX_SLOTS_BEHIND ||
      t - this.fullReadAt >= DEEP_EVERY_MS ||
      t < this.fullReadAt
    ) {
      const found = await this.find({ timed: true }, now, limit);
      this.fullReadAt = t;
      // What was left beyond the limit is no earlier than what was found.
      this.from = Math.min(slot, slotOf(found[0]?.nextClockAt) ?? slot);
      return found;
    }
    const out: Due[] = [];
    for (let s = from; s <= slot && out.length < limit; s++) {
      const found = await this.find({ timedSlot: s }, now, limit - out.length);
      // A past slot with nothing due left stays empty: later sweeps start after it.
      if (found.length === 0 && s === this.from && s < slot) this.from = s + 1;
      out.push(...found);
    }
    return out;
  }

  private find(where: Obj, now: Date, limit: number): Promise<Due[]> {
    return this.model
      .find({ ...where, nextClockAt: { $lte: now } }, { _id: 1, nextClockAt: 1 })
      .sort({ nextClockAt: 1 })
      .limit(limit)
      .lean<Due[]>()
      .exec();
  }
}

/**
 * Marks documents stored before these fields existed (or written past the model) that
 * have an instant pending; returns how many it gave a slot. Idempotent; run at start.
 */
export async function markTimed(model: Pick<Model<unknown>, 'collection'>): Promise<number> {
  await model.collection.updateMany(
    { nextClockAt: { $ne: null }, timed: { $ne: true } },
    { $set: { timed: true } },
  );
  const unslotted = await model.collection
    .find({ timed: true, timedSlot: null }, { projection: { nextClockAt: 1 } })
    .toArray();
  const writes = unslotted.map((d) => ({
    updateOne: { filter: { _id: d._id }, update: { $set: { timedSlot: slotOf(d.nextClockAt) } } },
  }));
  if (writes.length > 0) await model.collection.bulkWrite(writes, { ordered: false });
  return writes.length;
}
