/**
 * A gateway killed (-9) in the middle of a burst of web chat sends loses nothing it
 * acknowledged, and the visitors' resends with the same client ids after it restarts
 * store each message exactly once.
 */
import { uniqueDbName } from '../harness/gateway';
import { Crowd } from './crowd';
import { dropDatabase, faultGateway, faultInbox } from './gateway';

// Processes start and stop here; on a loaded machine that takes a while.
jest.setTimeout(120_000);

const gw = faultGateway(uniqueDbName('crash'), {});
const crowd = new Crowd();

afterAll(async () => {
  crowd.disconnect();
  await gw.kill();
  await dropDatabase(gw.mongoUrl);
});

it('loses no acknowledged message and doubles none across a kill -9 and restart', async () => {
  await gw.start();
  const inbox = await faultInbox(gw.mongoUrl);
  await crowd.open(gw.url, inbox.key, 8);
  await crowd.connect(gw.url);
  crowd.write(6);
  let acks = 0;
  let killed: Promise<void> | null = null;
  const burst = crowd.round({
    timeoutMs: 3000,
    // Mid-burst: once a few sends are acknowledged and the rest are in flight.
    onAck: () => {
      if (++acks === 10) killed = gw.kill();
    },
  });
  await burst;
  await killed;
  expect(acks).toBeGreaterThanOrEqual(10);
  expect(crowd.pending).toBeGreaterThan(0);

  await gw.start();
  await crowd.drain(gw.url).catch((err: Error) => {
    throw new Error(`${err.message}; ${gw.describe()}`);
  });
  const audit = await crowd.audit(gw.mongoUrl);
  console.log(`kill -9: ${JSON.stringify({ ...crowd.tally, ...audit, ackedBeforeKill: acks })}`);
  expect(audit).toEqual({ missing: 0, doubled: 0, stored: 48 });
});
