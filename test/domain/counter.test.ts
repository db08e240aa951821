/**
 * Human-facing numbers (conversation #42): concurrent callers in one process get distinct,
 * consecutive numbers from one advance of the counter, and a failed advance fails only the
 * callers that were waiting for it.
 */
import { randomUUID } from 'node:crypto';
import { nextNumber } from '../../server/domain/counter';
import { suiteGateway } from '../harness/gateway';

const commands: string[] = [];
const gw = suiteGateway({
  onDatabaseCommand: (name) => commands.push(name),
});

it('gives a burst of callers distinct, consecutive numbers with two advances of the counter', async () => {
  const name = `test-${randomUUID()}`;
  expect(await nextNumber(gw.models.Counter, name)).toBe(1);
  commands.length = 0;
  // The first starts an advance; the other 29 wait for it and share the next.
  const numbers = await Promise.all(Array.from({ length: 30 }, () => nextNumber(gw.models.Counter, name)));
  expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
  expect(commands.filter((c) => c === 'findAndModify:counters')).toHaveLength(2);
  const stored = await gw.models.Counter.findById(name).lean();
  expect(stored?.seq).toBe(31);
});

it('fails the callers of an advance that failed, and advances again for the next', async () => {
  const name = `test-${randomUUID()}`;
  // A counter whose value cannot be incremented.
  await gw.models.Counter.collection.insertOne({ _id: name, seq: 'seven' } as never);
  const failed = await Promise.allSettled([
    nextNumber(gw.models.Counter, name),
    nextNumber(gw.models.Counter, name),
  ]);
  expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  await gw.models.Counter.collection.updateOne({ _id: name } as never, { $set: { seq: 7 } });
  expect(await nextNumber(gw.models.Counter, name)).toBe(8);
});
