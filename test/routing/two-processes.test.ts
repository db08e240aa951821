/**
 * Two gateway processes on one database race to assign the same conversations:
 * no conversation is held twice and no agent goes over capacity.
 */
import type { MessageView, OfferView } from '../../shared/protocol';
import {
  callRaw,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  uniqueDbName,
  gatewayEnv,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../harness/process';

jest.setTimeout(120_000);
/** Hundreds of grabs queue on the same conversations' locks: each may wait its turn a while. */
const RACE_ACK_MS = 60_000;

const dbName = uniqueDbName('race');
let setup: TestGateway;
let procs: GatewayProcess[] = [];

beforeAll(async () => {
  // In-process handle on the same database for seeding and assertions.
  setup = await startGateway({ dbName, env: { OFFER_TIMEOUT_MS: '3000' } });
  const env = gatewayEnv(dbName, { OFFER_TIMEOUT_MS: '3000' });
  procs = await Promise.all([spawnGateway(env), spawnGateway(env)]);
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await setup.close();
});

it('assigns each conversation to at most one agent and keeps every agent within capacity', async () => {
  const desk = await createDesk(setup);
  const CAPACITY = 2;
  const agents = await Promise.all(Array.from({ length: 6 }, () => desk.agent({ capacity: CAPACITY })));
  const sockets: AgentClient[] = [];
  for (const [i, a] of agents.entries()) {
    // Each agent has a socket on both processes, like two console tabs behind a load balancer.
    sockets.push(
      await connectAgent(procs[i % 2]!.url, a.token),
      await connectAgent(procs[(i + 1) % 2]!.url, a.token),
    );
  }
  // Every socket grabs everything it can: accepts every offer and tries to take every queued conversation.
  const attempts: Promise<unknown>[] = [];
  for (const s of sockets) {
    s.on('offer', (o: OfferView) => {
      attempts.push(callRaw(s, 'offer:accept', { conversationId: o.conversation.id }, RACE_ACK_MS));
    });
  }
  await Promise.all(
    sockets.filter((_, i) => i % 2 === 0).map((s) => callRaw(s, 'presence:set', { presence: 'online' })),
  );

  const CONVERSATIONS = 20;
  const visitors = await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, i) => {
      const sess = await openVisitorSession(procs[i % 2]!.url, desk.inbox.key);
      return connectVisitor(procs[i % 2]!.url, sess.token);
    }),
  );
  const sent = await Promise.all(
    visitors.map((v, i) =>
      callRaw<MessageView>(v, 'message:send', { clientId: `race-${i}`, text: `hello ${i}` }),
    ),
  );
  const convIds = sent.map((a) => (a.ok ? a.data.conversationId : ''));
  expect(convIds.every(Boolean)).toBe(true);
  for (const s of sockets)
    for (const id of convIds)
      attempts.push(callRaw(s, 'conversation:take', { conversationId: id }, RACE_ACK_MS));

  // Capacity is 6 × 2 = 12 for 20 conversations: 12 get held, 8 wait.
  await eventually(
    () => setup.models.Assignment.countDocuments({ state: 'active' }),
    (n) => n >= agents.length * CAPACITY,
    60_000,
  );
  await Promise.all(attempts);

  const seats = await setup.models.Assignment.find({}).lean();
  const perConversation = new Map<string, number>();
  const perAgent = new Map<string, number>();
  for (const s of seats) {
    perConversation.set(String(s.conversationId), (perConversation.get(String(s.conversationId)) ?? 0) + 1);
    perAgent.set(String(s.agentId), (perAgent.get(String(s.agentId)) ?? 0) + 1);
  }
  expect(Math.max(...perConversation.values())).toBe(1);
  expect(Math.max(...perAgent.values())).toBeLessThanOrEqual(CAPACITY);
  const assigned = await setup.models.Conversation.find({ _id: { $in: convIds }, status: 'assigned' }).lean();
  expect(assigned).toHaveLength(agents.length * CAPACITY);
  for (const c of assigned) {
    const seat = seats.find((s) => String(s.conversationId) === String(c._id));
    expect(String(seat?.agentId)).toBe(String(c.assigneeId));
    const pickups = await setup.models.ConversationEvent.countDocuments({
      conversationId: c._id,
      type: { $in: ['conversation.accepted', 'conversation.taken'] },
    });
    expect(pickups).toBe(1);
  }
  const open = new Set(seats.map((s) => String(s.conversationId)));
  const queued = await setup.models.Conversation.find({ _id: { $in: convIds }, status: 'queued' }).lean();
  expect(
    queued.every(
      (c) =>
        !open.has(String(c._id)) ||
        seats.find((s) => String(s.conversationId) === String(c._id))?.state === 'offered',
    ),
  ).toBe(true);
  for (const s of sockets) s.close();
  for (const v of visitors) v.close();
});
