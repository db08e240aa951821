/**
 * The admission gate: at most `maxInFlight` stores at once, the next few wait their turn in
 * arrival order instead of being refused, and only past the waiting line is one refused busy.
 */
import { Admission } from '../../server/ingest/admission';
import { Overloaded } from '../../server/domain/errors';
import { createMetrics } from '../../server/observability/metrics';

const gauge = async (g: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await g.get()).values[0]?.value;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it('lets two store at once, queues two in order, refuses the fifth, and hands each freed slot on', async () => {
  const metrics = createMetrics();
  const gate = new Admission({ maxInFlight: 2, maxWaiting: 2, retryAfterMs: 700 }, metrics);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const holds = Array.from({ length: 4 }, deferred);
  const runs = holds.map((h, i) =>
    gate.run('webchat', async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await h.promise;
      running--;
      return i;
    }),
  );
  // Let every run reach the gate.
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1]);
  expect(await gauge(metrics.ingestsInFlight)).toBe(2);
  expect(await gauge(metrics.ingestsWaiting)).toBe(2);

  const refused = gate.run('webchat', async () => 'never');
  await expect(refused).rejects.toBeInstanceOf(Overloaded);
  await expect(refused).rejects.toMatchObject({ code: 'busy', details: { retryAfterMs: 700 } });
  expect(await gauge(metrics.busy)).toBe(1);

  // The second finishes first: the first in line (2) takes its slot, then 3 takes the next.
  holds[1]!.resolve();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1, 2]);
  holds[0]!.resolve();
  await runs[0];
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1, 2, 3]);
  expect(await gauge(metrics.ingestsWaiting)).toBe(0);
  holds[2]!.resolve();
  holds[3]!.resolve();
  expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  expect(most).toBe(2);
  expect(await gauge(metrics.ingestsInFlight)).toBe(0);
});

it('frees the slot of a store that failed', async () => {
  const metrics = createMetrics();
  const gate = new Admission({ maxInFlight: 1, maxWaiting: 0, retryAfterMs: 100 }, metrics);
  await expect(gate.run('sms', () => Promise.reject(new Error('database down')))).rejects.toThrow(
    'database down',
  );
  await expect(gate.run('sms', async () => 'stored')).resolves.toBe('stored');
  expect(await gauge(metrics.ingestsInFlight)).toBe(0);
});
