/**
 * A gateway always starts: started again and again on an existing database (its admin
 * account already there), every process comes up, stays up and stops cleanly.
 */
import { MongoClient } from 'mongodb';
import { gatewayEnv, MONGO_BASE, startGateway, uniqueDbName, type TestGateway } from '../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../harness/process';

jest.setTimeout(180_000);

const dbName = uniqueDbName('starts');
const env = gatewayEnv(dbName, { ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'admin password' });
let owner: TestGateway;

beforeAll(async () => {
  // The first start creates the database and the admin; every start after it finds them.
  owner = await startGateway({
    dbName,
    env: { ADMIN_EMAIL: env.ADMIN_EMAIL!, ADMIN_PASSWORD: env.ADMIN_PASSWORD! },
  });
});
afterAll(async () => {
  await owner.app.db.dropDatabase().catch(() => undefined);
  await owner.close();
});

/** Starts a process, checks it is ready and still running a while after start, then stops it. */
async function startOnce(): Promise<{ ready: boolean; alive: boolean; code: number | null; stderr: string }> {
  const p: GatewayProcess = await spawnGateway(env);
  try {
    const ready = await fetch(`${p.url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    // The failure this guards against came a few seconds after "listening".
    await new Promise((r) => setTimeout(r, 2000));
    const alive = p.child.exitCode === null && p.child.signalCode === null;
    await p.stop('SIGTERM');
    return { ready, alive, code: p.child.exitCode, stderr: p.stderr() };
  } finally {
    await p.stop('SIGKILL');
  }
}

it('starts 20 times in a row on an existing database, every time cleanly', async () => {
  const results = [];
  for (let round = 0; round < 4; round++) {
    results.push(...(await Promise.all(Array.from({ length: 5 }, () => startOnce()))));
  }
  expect(results).toHaveLength(20);
  for (const r of results) {
    expect(r.stderr).not.toMatch(/subscriber mode|Unhandled/i);
    expect(r).toMatchObject({ ready: true, alive: true, code: 0 });
  }
});

it('starts several gateway processes together on a new database, each of them', async () => {
  // Customer data stored in the clear by an earlier version: each process finds no record of
  // the one-off sealing pass, runs it, and records it.
  const name = uniqueDbName('together');
  const client = await MongoClient.connect(MONGO_BASE);
  await client
    .db(name)
    .collection('contacts')
    .insertMany(
      Array.from({ length: 300 }, (_, i) => ({ name: `Customer ${i}`, identities: [], attributes: {} })),
    );
  await client.close();
  const together = gatewayEnv(name);
  const started = await Promise.allSettled(Array.from({ length: 3 }, () => spawnGateway(together)));
  const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failures).toEqual([]);
    for (const p of up) expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
  } finally {
    for (const p of up) await p.stop('SIGKILL');
    const c = await MongoClient.connect(MONGO_BASE);
    await c.db(name).dropDatabase();
    await c.close();
  }
});
