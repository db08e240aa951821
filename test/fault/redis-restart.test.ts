/**
 * Redis restarted under web chat load (the test's own Redis, not the shared one): the
 * gateway stays up, loses no acknowledged message, doubles none, and serves again once
 * Redis is back.
 */
import { uniqueDbName } from '../harness/gateway';
import { privateRedis, type PrivateService } from '../harness/services';
import { Crowd } from './crowd';
import { dropDatabase, faultGateway, faultInbox, readyWithin, type FaultGateway } from './gateway';

// Processes start and stop here; on a loaded machine that takes a while.
jest.setTimeout(120_000);

let redis: PrivateService | null = null;
let gw: FaultGateway | null = null;
const crowd = new Crowd();

afterAll(async () => {
  crowd.disconnect();
  await gw?.kill();
  if (gw) await dropDatabase(gw.mongoUrl);
  await redis?.dispose();
});

it('keeps serving across a Redis restart, with nothing acknowledged lost or doubled', async () => {
  redis = await privateRedis();
  await redis.start();
  gw = faultGateway(uniqueDbName('redisrestart'), { REDIS_URL: redis.url });
  await gw.start();
  const inbox = await faultInbox(gw.mongoUrl);
  await crowd.open(gw.url, inbox.key, 6);
  await crowd.connect(gw.url);
  crowd.write(6);
  let acks = 0;
  let restarted: Promise<void> | null = null;
  const r = redis;
  await crowd.round({
    timeoutMs: 4000,
    onAck: () => {
      if (++acks === 8)
        restarted = (async () => {
          await r.stop();
          await new Promise((done) => setTimeout(done, 1500));
          await r.start();
        })();
    },
  });
  expect(acks).toBeGreaterThanOrEqual(8); // Redis went away mid-burst
  await restarted;
  expect(gw.process.child.exitCode).toBeNull();
  await readyWithin(gw, 20_000);
  await crowd.drain(gw.url);
  expect(gw.process.child.exitCode).toBeNull();
  const audit = await crowd.audit(gw.mongoUrl);
  console.log(`redis restart: ${JSON.stringify({ ...crowd.tally, ...audit })}`);
  expect(audit).toEqual({ missing: 0, doubled: 0, stored: 36 });
});
