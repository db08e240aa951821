/**
 * An idle gateway's background reads: dispatch looks at the queue at the sweep's pace, but
 * the routing safety net (offers past expiry, stranded seats, agents past their grace) runs
 * at its own slower pace, and at once on start.
 */
import { startGateway } from '../harness/gateway';

jest.setTimeout(60_000);

it('runs the routing safety net at its own pace, not at every dispatch look', async () => {
  const commands: { name: string; at: number }[] = [];
  const gw = await startGateway({
    env: { SLA_SWEEP_INTERVAL_MS: '200', ROUTING_SWEEP_INTERVAL_MS: '2000' },
    onDatabaseCommand: (name) => commands.push({ name, at: Date.now() }),
  });
  const started = Date.now();
  try {
    // The first look, 200 ms after start, runs the safety net: two reads of the seats.
    const seatReads = () => commands.filter((c) => c.name === 'find:assignments' && c.at >= started);
    while (seatReads().length < 2) await new Promise((r) => setTimeout(r, 50));
    const first = seatReads()[0]!.at;
    // Over the next 3 s dispatch looks about 15 times; the safety net runs once or twice.
    await new Promise((r) => setTimeout(r, 3000));
    const looks = commands.filter(
      (c) => c.name === 'find:agents' && c.at > first && c.at <= first + 3000,
    ).length;
    const nets = seatReads().filter((c) => c.at > first + 100 && c.at <= first + 3000).length / 2;
    expect(looks).toBeGreaterThan(4);
    expect(nets).toBeGreaterThanOrEqual(1);
    expect(nets).toBeLessThanOrEqual(2);
  } finally {
    await gw.close();
  }
});
