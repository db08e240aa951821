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

/**
 * The next number of the sequence (1 for the first). Within a process, callers that ask
 * while an advance is in flight wait for it and then share one: the counter moves by how
 * many they are, and each gets one number of the range. One command per burst, and no two
 * concurrent advances of the same document, which a database that rewrites the whole
 * document without re-checking it (FerretDB) could otherwise give the same number.
 */
export function nextNumber(Counter: Model<CounterDoc>, name: string): Promise<number> {
  let mine = sequences.get(Counter);
  if (!mine) sequences.set(Counter, (mine = new Map()));
  let seq = mine.get(name);
  if (!seq) mine.set(name, (seq = new Sequence(Counter, name)));
  return seq.next();
}

const sequences = new WeakMap<Model<CounterDoc>, Map<string, Sequence>>();

interface Waiter {
  resolve: (n: number) => void;
  reject: (err: unknown) => void;
}

class Sequence {
  private waiting: Waiter[] = [];
  private advancing = false;

  constructor(
    private readonly Counter: Model<CounterDoc>,
    private readonly name: string,
  ) {}

  next(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.advancing) void this.advance();
    });
  }

  private async advance(): Promise<void> {
    this.advancing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const c = await upsertRacing(() =>
          this.Counter.findOneAndUpdate(
            { _id: this.name },
            { $inc: { seq: batch.length } },
            { upsert: true, new: true },
          ).lean(),
        );
        if (!c) throw new Error(`counter ${this.name} did not advance`);
        const first = c.seq - batch.length + 1;
        batch.forEach((w, i) => w.resolve(first + i));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.advancing = false;
  }
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
