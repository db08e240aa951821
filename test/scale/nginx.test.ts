/**
 * Three gateway processes on one database behind nginx, configured by deploy/nginx.conf.
 * Visitors (long-polling and WebSocket) and agents connect only through nginx, spread over
 * the processes by their address; one process is killed mid-conversation and everyone
 * carries on through the other two: nothing acknowledged is lost, nothing is stored twice,
 * every breach is recorded once, and the agents still see every message.
 */
import mongoose, { type Connection } from 'mongoose';
import { registerModels, type Models } from '../../server/domain/models';
import { withDevelopmentKeys } from '../../server/privacy/plugin';
import { eventually, gatewayEnv, MONGO_BASE, uniqueDbName } from '../harness/gateway';
import { startNginx, type AccessLine, type Nginx } from '../harness/nginx';
import { spawnGateway, type GatewayProcess } from '../harness/process';
import { ConsoleAgent, fromAddress, requestJson, WebchatVisitor } from './clients';

jest.setTimeout(150_000);

const dbName = uniqueDbName('nginx');
const ADMIN = { email: 'admin@scale.test', password: 'correct horse battery' };
const MESSAGES_PER_VISITOR = 6;
const TYPING_GAP_MS = 150;
const WAITING_PICKUP_TARGET_MS = 2000;

let db: Connection;
let models: Models;
let gateways: GatewayProcess[] = [];
let nginx: Nginx | null = null;
const clients: { close(): void }[] = [];

beforeAll(async () => {
  db = mongoose.createConnection(`${MONGO_BASE}/${dbName}`);
  await db.asPromise();
  models = registerModels(withDevelopmentKeys(db));
  const env = gatewayEnv(dbName, {
    OFFER_TIMEOUT_MS: '3000',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  const started = await Promise.allSettled([0, 1, 2].map(() => spawnGateway(env)));
  gateways = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  nginx = await startNginx(gateways.map((g) => new URL(g.url).host));
});

afterAll(async () => {
  for (const c of clients) c.close();
  const stops = [nginx?.stop(), ...gateways.map((g) => g.stop())];
  await Promise.allSettled(stops);
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
});

const admin = async (url: string) => {
  const login = await requestJson<{ token: string }>(`${url}/api/auth/login`, { body: ADMIN });
  expect(login.status).toBe(200);
  return async <T>(path: string, body: unknown): Promise<T> => {
    const res = await requestJson<T>(`${url}${path}`, { body, token: login.body.token });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
};

/** Which gateway nginx sends each of `addresses` to, read from its access log after one request each. */
async function hashedGateways(url: string, addresses: string[]): Promise<Map<string, string>> {
  for (const address of addresses) {
    const res = await requestJson(`${url}/healthz`, { agent: fromAddress(address) });
    expect(res.status).toBe(200);
  }
  const seen = new Map<string, string>();
  for (const line of nginx!.accessLog())
    if (line.uri === '/healthz') seen.set(line.clientAddress, line.upstream);
  return seen;
}

const sessionOf = (line: AccessLine) => /[?&]sid=([^&]+)/.exec(line.uri)?.[1];

it('spreads clients over three processes and loses nothing when one of them is killed', async () => {
  const url = nginx!.url;
  const hosts = gateways.map((g) => new URL(g.url).host);

  // Set-up through nginx, as an admin would.
  const post = await admin(url);
  const live = await post<{ team: { id: string } }>('/api/teams', { name: 'Live' });
  const waiting = await post<{ team: { id: string } }>('/api/teams', { name: 'Nobody home' });
  const liveInbox = await post<{ inbox: { key: string } }>('/api/inboxes', {
    name: 'Website',
    channel: 'webchat',
    teamId: live.team.id,
  });
  const waitingInbox = await post<{ inbox: { key: string } }>('/api/inboxes', {
    name: 'After hours',
    channel: 'webchat',
    teamId: waiting.team.id,
    sla: { pickupTargetMs: WAITING_PICKUP_TARGET_MS },
  });

  // Client addresses by the gateway nginx hashes them to: every gateway gets some.
  const candidates = Array.from({ length: 60 }, (_, i) => `127.0.0.${11 + i}`);
  const gatewayOf = await hashedGateways(url, candidates);
  const pools = hosts.map((h) => candidates.filter((a) => gatewayOf.get(a) === h));
  expect(pools.map((p) => p.length).every((n) => n > 0)).toBe(true);
  const addressOn = (g: number, i: number) => pools[g]![i % pools[g]!.length]!;

  // One agent on each of the first two gateways, none on the third: the customers the third
  // serves are always answered by an agent on another process.
  const agents: ConsoleAgent[] = [];
  for (const g of [0, 1])
    for (const i of [0]) {
      const email = `agent-${g}-${i}@scale.test`;
      await post('/api/agents', {
        email,
        name: `Agent ${g}.${i}`,
        password: ADMIN.password,
        capacity: 4,
        teamIds: [live.team.id],
      });
      const login = await requestJson<{ token: string; agent: { id: string } }>(`${url}/api/auth/login`, {
        body: { email, password: ADMIN.password },
      });
      const agent = new ConsoleAgent(
        url,
        login.body.token,
        login.body.agent.id,
        addressOn(g, i),
        (m) => `re: ${m.text}`,
      );
      clients.push(agent);
      agents.push(agent);
    }
  await Promise.all(agents.map((a) => a.online));

  // Per gateway: two visitors on the live inbox (one long-polling) and one on the inbox nobody answers.
  const openVisitor = async (inboxKey: string, transport: 'websocket' | 'polling', address: string) => {
    const session = await requestJson<{ token: string }>(`${url}/channels/webchat/sessions`, {
      body: { inboxKey },
      agent: fromAddress(address),
    });
    expect(session.status).toBe(200);
    const v = new WebchatVisitor(url, session.body.token, transport, address);
    clients.push(v);
    await v.connected();
    return v;
  };
  const visitors: WebchatVisitor[] = [];
  const unanswered: WebchatVisitor[] = [];
  for (const g of [0, 1, 2]) {
    for (const [i, transport] of (['polling', 'websocket'] as const).entries())
      visitors.push(await openVisitor(liveInbox.inbox.key, transport, addressOn(g, 1 + i)));
    unanswered.push(
      await openVisitor(waitingInbox.inbox.key, g === 1 ? 'polling' : 'websocket', addressOn(g, 3)),
    );
  }
  const gatewayIndex = (address: string) => hosts.indexOf(gatewayOf.get(address)!);

  // Everyone writes; pickup clocks start on the unanswered inbox.
  unanswered.forEach((v, i) => v.send(`wait-${i}`, `Is anyone there? (${i})`));
  const typing = visitors.map(async (v, vi) => {
    for (let m = 0; m < MESSAGES_PER_VISITOR; m++) {
      v.send(`v${vi}-m${m}`, `visitor ${vi} message ${m}`);
      await new Promise((r) => setTimeout(r, TYPING_GAP_MS));
    }
  });

  // Once a third of the messages are acknowledged, gateway 0 dies without a goodbye.
  const total = visitors.length * MESSAGES_PER_VISITOR;
  const ackedCount = () => visitors.reduce((n, v) => n + v.acked.size, 0);
  await eventually(
    async () => ackedCount(),
    (n) => n >= total / 3,
    30_000,
  );
  const killed = 0;
  const ackedBeforeKill = ackedCount();
  await gateways[killed]!.stop('SIGKILL');
  await Promise.all(typing);

  // Everyone carries on through the survivors until every message is acknowledged and answered.
  const replyTo = (v: WebchatVisitor, text: string) =>
    [...v.held.values()].some((m) => m.text === `re: ${text}`);
  const outstanding = () => ({
    unacknowledged: visitors.concat(unanswered).flatMap((v) => [...v.outbox.keys()]),
    repliesNotReceived: visitors.flatMap((v) =>
      [...v.acked.values()].filter((m) => !replyTo(v, m.text)).map((m) => m.clientId),
    ),
    repliesUnacknowledged: agents.flatMap((a) => [...a.outbox.keys()]),
  });
  await eventually(
    async () => outstanding(),
    (o) => Object.values(o).every((list) => list.length === 0),
    50_000,
    100,
  ).catch(async (err: Error) => {
    // Say where each unanswered conversation stands, so a failure tells which side lost it.
    const waitingFor = new Set(outstanding().repliesNotReceived);
    const stuck = visitors.flatMap((v) =>
      [...v.acked.values()].filter((m) => waitingFor.has(m.clientId)).map((m) => m.conversationId),
    );
    const states = await Promise.all(
      [...new Set(stuck)].map(async (id) => {
        const c = await models.Conversation.findById(id).lean();
        const replies = await models.Message.countDocuments({ conversationId: id, direction: 'out' });
        const events = await models.ConversationEvent.find({ conversationId: id }).sort({ _id: 1 }).lean();
        const holders = agents.filter((a) => a.holding.has(id)).map((a) => a.id);
        return {
          id,
          status: c?.status,
          assigneeId: c?.assigneeId,
          replies,
          holders,
          events: events.map((e) => e.type),
        };
      }),
    );
    throw new Error(`${err.message}\n${JSON.stringify(states)}`);
  });
  const waitingIds = unanswered.map((v) => [...v.acked.values()][0]!.conversationId);
  await eventually(
    () =>
      models.ConversationEvent.distinct('conversationId', {
        conversationId: { $in: waitingIds },
        type: 'sla.breached',
      }),
    (ids) => ids.length === waitingIds.length,
    20_000,
  );
  // A repeated breach would come from another process's timer or sweep (every 200 ms here): give them a few turns.
  await new Promise((r) => setTimeout(r, 1500));

  // Stickiness: every long-polling session was served by one gateway from start to end.
  const log = nginx!.accessLog();
  const served = new Map<string, Set<string>>();
  for (const line of log) {
    const sid = sessionOf(line);
    if (!sid || line.status !== 200) continue;
    served.set(sid, (served.get(sid) ?? new Set()).add(line.upstream));
  }
  const polling = visitors.concat(unanswered).filter((v) => v.transport === 'polling');
  const pollingSessions = polling.flatMap((v) => v.sessions);
  for (const sid of pollingSessions) expect(served.get(sid)?.size).toBe(1);
  const pollRequests = log.filter((l) => pollingSessions.includes(sessionOf(l) ?? '')).length;
  expect(pollRequests).toBeGreaterThan(pollingSessions.length * 2);

  // Only the killed gateway's clients had to reconnect; they did, through nginx, to a survivor.
  const everyone = [...visitors, ...unanswered, ...agents];
  for (const c of everyone) {
    if (gatewayIndex(c.address) === killed) expect(c.connects).toBeGreaterThanOrEqual(2);
    else expect(c.connects).toBe(1);
  }
  const afterKill = log.filter(
    (l) => gatewayIndex(l.clientAddress) === killed && l.status === 200 && l.upstream !== hosts[killed],
  );
  expect(new Set(afterKill.map((l) => l.upstream)).size).toBeGreaterThan(0);
  expect(afterKill.every((l) => l.upstream !== hosts[killed])).toBe(true);

  // In the database: every visitor message once, every acknowledged one there, every one answered once.
  let stored = 0;
  let crossProcess = 0;
  for (const [vi, v] of visitors.entries()) {
    const conversationId = [...v.acked.values()][0]!.conversationId;
    const inbound = await models.Message.find({ conversationId, direction: 'in' }).lean();
    stored += inbound.length;
    expect(inbound.map((m) => m.text).sort()).toEqual(
      Array.from({ length: MESSAGES_PER_VISITOR }, (_, m) => `visitor ${vi} message ${m}`).sort(),
    );
    expect(inbound.map((m) => String(m._id)).sort()).toEqual([...v.acked.values()].map((m) => m.id).sort());
    const replies = await models.Message.find({ conversationId, direction: 'out', automatic: false }).lean();
    expect(replies.map((m) => m.text).sort()).toEqual(inbound.map((m) => `re: ${m.text}`).sort());
    // The agent holding the conversation saw every message of it.
    const conv = await models.Conversation.findById(conversationId).lean();
    const holder = agents.find((a) => a.id === String(conv?.assigneeId));
    expect(holder?.holding.has(conversationId)).toBe(true);
    const seen = holder!.seen.get(conversationId) ?? new Map();
    expect(inbound.filter((m) => !seen.has(String(m._id)))).toEqual([]);
    if (gatewayIndex(holder!.address) !== gatewayIndex(v.address)) crossProcess += inbound.length;
  }
  expect(crossProcess).toBeGreaterThan(0);

  // Each unanswered conversation breached its pickup target once, and its customer was told once.
  // A breach the killed process had recorded takes effect once its lock lapses (10 s) and a
  // survivor's sweep finds the clock still unmarked.
  const counts = () =>
    Promise.all(
      waitingIds.map(async (id) => ({
        breaches: await models.ConversationEvent.countDocuments({ conversationId: id, type: 'sla.breached' }),
        priorityRaised: await models.ConversationEvent.countDocuments({
          conversationId: id,
          type: 'conversation.priority_changed',
        }),
        customerTold: await models.Message.countDocuments({ conversationId: id, automatic: true }),
      })),
    );
  const escalations = await eventually(
    counts,
    (list) => list.every((e) => e.customerTold > 0 && e.priorityRaised > 0),
    30_000,
  );
  expect(escalations).toEqual(waitingIds.map(() => ({ breaches: 1, priorityRaised: 1, customerTold: 1 })));
  // No clock run anywhere was recorded as breached twice.
  const breaches = await models.ConversationEvent.find({ type: 'sla.breached' }).lean();
  const runs = new Set(
    breaches.map((e) => `${String(e.conversationId)}:${String(e.data.clock)}:${String(e.data.dueAt)}`),
  );
  expect(runs.size).toBe(breaches.length);

  const attempts = visitors.reduce((n, v) => n + v.attempts, 0);
  console.info(
    `nginx + 3 gateways, one killed: ${total} visitor messages sent (${attempts} attempts), ` +
      `${ackedCount()} acknowledged (${ackedBeforeKill} before the kill), ${stored} stored, ` +
      `${stored - total} doubles, ${crossProcess} delivered across processes, ` +
      `${breaches.length} breaches for ${waitingIds.length} unanswered conversations, ` +
      `${pollingSessions.length} long-polling sessions over ${pollRequests} requests, each on one gateway`,
  );
});
