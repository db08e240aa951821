/**
 * More concurrent sends than the gateway admits: the excess is answered `busy`, every
 * acknowledged message is stored exactly once, pickup breaches are still detected within
 * the sweep's bound, and the gateway is fully back once the load stops.
 */
import { uniqueDbName } from '../harness/gateway';
import { Crowd } from './crowd';
import { breachLateness, dropDatabase, faultGateway, faultInbox, readyWithin } from './gateway';

// Processes start and stop here; on a loaded machine that takes a while.
jest.setTimeout(120_000);

const SWEEP_MS = 200;
const gw = faultGateway(uniqueDbName('overload'), {
  INGEST_MAX_IN_FLIGHT: '3',
  INGEST_MAX_WAITING: '2',
  MONGO_MAX_POOL_SIZE: '8',
  BUSY_RETRY_AFTER_MS: '300',
  SLA_SWEEP_INTERVAL_MS: String(SWEEP_MS),
});
const crowd = new Crowd();

afterAll(async () => {
  crowd.disconnect();
  await gw.kill();
  await dropDatabase(gw.mongoUrl);
});

it('answers busy while overloaded, stores each acknowledged message once, and recovers', async () => {
  await gw.start();
  const inbox = await faultInbox(gw.mongoUrl, { pickupTargetMs: 2000 });
  await crowd.open(gw.url, inbox.key, 12);
  await crowd.connect(gw.url);
  crowd.write(5);
  await crowd.round({ parallel: 3, timeoutMs: 8000 });
  expect(crowd.tally.busy).toBeGreaterThan(0);
  await crowd.drain(gw.url);
  const audit = await crowd.audit(gw.mongoUrl);
  expect(audit).toEqual({ missing: 0, doubled: 0, stored: 60 });

  // Every visitor's conversation breaches its 2 s pickup target; each is detected on time.
  const lateness = await (async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const late = await breachLateness(gw.mongoUrl);
      if (late.length >= 12 || Date.now() > deadline) return late;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  console.log(
    `overload: ${JSON.stringify({ ...crowd.tally, ...audit, breaches: lateness.length, maxLateMs: Math.max(...lateness) })}`,
  );
  expect(lateness).toHaveLength(12);
  for (const ms of lateness) expect(ms).toBeLessThanOrEqual(SWEEP_MS + 1000);

  // Recovery: ready, and a normal send is acknowledged at once.
  await readyWithin(gw, 5000);
  crowd.disconnect();
  const one = new Crowd();
  await one.open(gw.url, inbox.key, 1);
  await one.connect(gw.url);
  one.write(1);
  await one.round({ parallel: 1 });
  one.disconnect();
  expect(one.tally).toMatchObject({ acked: 1, busy: 0, errors: 0, unanswered: 0 });
});
