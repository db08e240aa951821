/**
 * Counter: a sequence kept in one document and advanced with `$inc`, for human-facing
 * numbers (conversation #42). One indexed update, whatever the history, where finding the
 * highest number stored would sort the whole collection.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicate';

export interface CounterDoc {
  _id: string;
  seq: number;
}

const schema = new Schema<CounterDoc>({
  _id: { type: String, required: true },
  seq: { type: Number, default: 0 },
});

export const registerCounter = (db: Connection) => db.model<CounterDoc>('Counter', schema);

/** The next number of the sequence (1 for the first). */
export async function nextNumber(Counter: Model<CounterDoc>, name: string): Promise<number> {
  const c = await Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { seq: 1 } },
    { upsert: true, new: true },
  ).lean();
  if (!c) throw new Error(`counter ${name} did not advance`);
  return c.seq;
}

/** Makes the sequence continue above `floor` (numbers given before the counter existed). Idempotent. */
export async function raiseTo(Counter: Model<CounterDoc>, name: string, floor: number): Promise<void> {
  await upsertRacing(() => Counter.updateOne({ _id: name }, { $max: { seq: floor } }, { upsert: true }));
}

/**
 * Two upserts of a counter that does not exist yet (two processes starting on an empty
 * database) can both try to insert it; the loser hits the unique `_id` and, tried again,
 * finds the winner's document and updates it.
 */
async function upsertRacing<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return op();
  }
}
