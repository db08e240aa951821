/**
 * The database goes away under web chat load (the test's own FerretDB): sends during the
 * outage are answered with an error, never a false ack; nothing acknowledged is lost, and
 * the gateway recovers by itself when the database is back.
 */
import { uniqueDbName } from '../harness/gateway';
import { privateFerretDb, type PrivateService } from '../harness/services';
import { Crowd } from './crowd';
import { faultGateway, faultInbox, readyWithin, type FaultGateway } from './gateway';

// Processes start and stop here; on a loaded machine that takes a while.
jest.setTimeout(120_000);

let ferret: PrivateService | null = null;
let gw: FaultGateway | null = null;
const crowd = new Crowd();

afterAll(async () => {
  crowd.disconnect();
  await gw?.kill();
  await ferret?.dispose();
});

it('answers errors while the database is down and recovers by itself', async () => {
  ferret = await privateFerretDb();
  await ferret.start();
  const dbName = uniqueDbName('dbdown');
  gw = faultGateway(dbName, { MONGO_URL: `${ferret.url}/${dbName}` });
  await gw.start();
  const inbox = await faultInbox(gw.mongoUrl);
  await crowd.open(gw.url, inbox.key, 6);
  await crowd.connect(gw.url);
  crowd.write(3);
  // The first sends open conversations on a database that has just started: on a loaded
  // machine that can take seconds, and this pass is about the answers, not their speed.
  await crowd.round({ timeoutMs: 20_000 });
  expect({ pending: crowd.pending, ...crowd.tally }).toEqual({
    pending: 0,
    acked: 18,
    busy: crowd.tally.busy,
    errors: 0,
    unanswered: 0,
  });

  await ferret.stop();
  crowd.write(3);
  // Long enough for the driver to give up: every send gets its answer, and none is ok.
  await crowd.round({ timeoutMs: 20_000 });
  const during = { ...crowd.tally };
  expect(during.acked).toBe(18);
  expect(during.errors + during.busy).toBeGreaterThan(0);
  expect(during.unanswered).toBe(0);
  expect(gw.process.child.exitCode).toBeNull();

  await ferret.start();
  await readyWithin(gw, 30_000);
  await crowd.drain(gw.url);
  const audit = await crowd.audit(gw.mongoUrl);
  console.log(`database outage: ${JSON.stringify({ during, after: crowd.tally, ...audit })}`);
  expect(audit).toEqual({ missing: 0, doubled: 0, stored: 36 });
});
