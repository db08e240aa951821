/**
 * Redis behind Sentinel: the gateway finds the master through the sentinels (every
 * connection: commands, the Socket.IO adapter, Bull's timer queues), and after a failover
 * it carries on against the promoted replica — messages reach the agent and SLA timers
 * still fire, with their jobs on the new master.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { ConfigError, loadConfig } from '../../server/config';
import type { OfferView, SlaAlertView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { privateRedis, privateService, type PrivateService } from '../harness/services';

jest.setTimeout(90_000);

const MASTER = 'switchboard';
let primary: PrivateService;
let replica: PrivateService;
let sentinel: PrivateService;
let gw: TestGateway | null = null;
let other: TestGateway | null = null;
const clients: Redis[] = [];

beforeAll(async () => {
  primary = await privateRedis();
  await primary.start();
  replica = await privateService(
    'redis-replica',
    (p) => `redis://127.0.0.1:${p}`,
    (p, dir) => [
      'redis-server',
      [
        '--port',
        String(p),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--replicaof',
        '127.0.0.1',
        String(primary.port),
      ],
    ],
  )();
  await replica.start();
  sentinel = await privateService(
    'redis-sentinel',
    (p) => `redis://127.0.0.1:${p}`,
    (p, dir) => {
      const conf = path.join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${p}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${MASTER} 127.0.0.1 ${primary.port} 1`,
          `sentinel down-after-milliseconds ${MASTER} 1000`,
          `sentinel failover-timeout ${MASTER} 10000`,
        ].join('\n'),
      );
      return ['redis-server', [conf, '--sentinel']];
    },
  )();
  await sentinel.start();
  const s = new Redis(sentinel.port, '127.0.0.1');
  clients.push(s);
  // The sentinel has found the replica before the gateway relies on it.
  await eventually(
    async () => (await s.call('SENTINEL', 'replicas', MASTER)) as unknown[],
    (r) => r.length === 1,
    20_000,
    200,
  );
  const env = {
    REDIS_URL: 'redis://unused.invalid:6379',
    REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
    REDIS_SENTINEL_MASTER: MASTER,
  };
  gw = await startGateway({ env });
  other = await startGateway({ env, dbName: gw.dbName });
});

afterAll(async () => {
  await other?.close();
  await gw?.close();
  for (const c of clients) c.disconnect();
  await sentinel?.dispose();
  await replica?.dispose();
  await primary?.dispose();
});

/**
 * A customer writes on one gateway; an agent and a supervisor on the other get the offer
 * and the message (through the Socket.IO adapter on Redis), and a short pickup clock
 * breaches on time (a Bull timer job on Redis).
 */
async function serviceWorks(label: string): Promise<void> {
  const { inbox, agent } = await createDesk(gw!, { sla: { pickupTargetMs: 800 } });
  const a = await agent({ capacity: 1 });
  const sup = await agent({ role: 'supervisor', capacity: 0 });
  const agentSocket = await connectAgent(other!.url, a.token);
  const supSocket = await connectAgent(other!.url, sup.token);
  const session = await openVisitorSession(gw!.url, inbox.key);
  const visitor = await connectVisitor(gw!.url, session.token);
  try {
    await call(agentSocket, 'presence:set', { presence: 'online' });
    const offered = nextEvent<OfferView>(agentSocket, 'offer');
    const breach = nextEvent<SlaAlertView>(supSocket, 'sla:breach', (b) => b.clock === 'pickup', 20_000);
    await call(visitor, 'message:send', { clientId: label, text: `hello ${label}` });
    expect((await offered).conversation.inboxId).toBe(String(inbox._id));
    const b = await breach;
    expect(new Date(b.at).getTime()).toBeGreaterThanOrEqual(new Date(b.dueAt).getTime());
  } finally {
    for (const s of [visitor, agentSocket, supSocket]) s.close();
  }
}

it('finds the master through Sentinel and keeps serving after a failover', async () => {
  await serviceWorks('before');
  const onPrimary = new Redis(primary.port, '127.0.0.1');
  const onReplica = new Redis(replica.port, '127.0.0.1');
  clients.push(onPrimary, onReplica);
  expect((await onPrimary.keys(`${gw!.app.config.redisPrefix}:*`)).length).toBeGreaterThan(0);

  const s = clients[0]!;
  await s.call('SENTINEL', 'failover', MASTER);
  await eventually(
    async () => (await s.call('SENTINEL', 'get-master-addr-by-name', MASTER)) as string[],
    (addr) => addr[1] === String(replica.port),
    30_000,
    200,
  );
  await eventually(
    async () => (await onReplica.info('replication')).includes('role:master'),
    (isMaster) => isMaster,
    30_000,
    200,
  );
  await serviceWorks('after');
});

it('refuses a Sentinel configuration without the master name', () => {
  expect(() => loadConfig({ AUTH_SECRET: 'x'.repeat(32), REDIS_SENTINELS: '127.0.0.1:26379' })).toThrow(
    ConfigError,
  );
  expect(() =>
    loadConfig({ AUTH_SECRET: 'x'.repeat(32), REDIS_SENTINELS: 'host:notaport', REDIS_SENTINEL_MASTER: 'm' }),
  ).toThrow(/host:port/);
});
