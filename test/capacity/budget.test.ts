/**
 * What each hot operation costs in database and Redis commands, held to a budget so a
 * regression shows in CI: a customer message, a new conversation, an agent taking one.
 */
import type { ConversationView, MessageView, VisitorStatusView } from '../../shared/protocol';
import { Types } from 'mongoose';
import { placeInQueue } from '../../server/domain/conversation';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { CommandCounter, type Cost } from './counting';

jest.setTimeout(120_000);

const counter = new CommandCounter();
let gw: TestGateway;

beforeAll(async () => {
  counter.install();
  // Background sweeps, the routing tick, the search index's batches and directory refreshes
  // are far apart, so only the operation is counted.
  gw = await startGateway({
    env: {
      SLA_SWEEP_INTERVAL_MS: '600000',
      OFFER_TIMEOUT_MS: '600000',
      SEARCH_INDEX_DELAY_MS: '600000',
      SHIFT_CHECK_INTERVAL_MS: '600000',
      QUALITY_SWEEP_INTERVAL_MS: '600000',
      RETENTION_SWEEP_INTERVAL_MS: '600000',
      CACHE_MAX_AGE_MS: '600000',
    },
    onDatabaseCommand: counter.onDatabaseCommand,
  });
});
afterAll(async () => {
  await gw?.close();
  counter.uninstall();
});

/**
 * Database commands are exact. Each operation runs twice and the cheaper run counts: the
 * socket's account re-check, every few seconds, may land in one run, never in both.
 * Redis counts carry a margin of 2 for the timer queue's own polling, which shares the
 * connections.
 */
function within(runs: Cost[], db: number, redis: number) {
  const c = runs.reduce((a, b) => (b.db < a.db || (b.db === a.db && b.redis < a.redis) ? b : a));
  // On failure the message lists what was sent.
  expect(c.db <= db ? 'within' : `${c.db} > ${db}: ${c.dbCommands.join(' ')}`).toBe('within');
  expect(c.redis <= redis + 2 ? 'within' : `${c.redis} > ${redis + 2}: ${c.redisCommands.join(' ')}`).toBe(
    'within',
  );
}

it('keeps a customer message to three database round trips, a new conversation and a take within budget', async () => {
  const desk = await createDesk(gw);
  const a = await desk.agent({ capacity: 5 });
  const agent = await connectAgent(gw.url, a.token);
  await call(agent, 'presence:set', { presence: 'away' });
  // A first conversation warms the process's directories (inbox, policy rules, categories).
  const warm = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
  await call<MessageView>(warm, 'message:send', { clientId: 'w1', text: 'warming up' });
  warm.disconnect();
  const visitors = [
    await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token),
    await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token),
  ];
  const conversations: string[] = [];
  const each = async (op: (visitor: (typeof visitors)[number], i: number) => Promise<unknown>) => {
    const runs: Cost[] = [];
    for (const [i, v] of visitors.entries()) runs.push(await counter.cost(() => op(v, i)));
    return runs;
  };
  const says = (clientId: string, text: string) => (v: (typeof visitors)[number], i: number) =>
    call<MessageView>(v, 'message:send', { clientId: `${clientId}-${i}`, text });

  const opened = await each(async (v, i) => {
    conversations[i] = (await says('c1', 'hello')(v, i)).conversationId;
  });
  // A new customer's first message: the identity (one upsert) and the contact, the number,
  // the conversation inserted with everything the message changes in it, one batch of
  // timeline events and the message (6); then what follows it, shared by every arrival
  // within 100 ms: one read of the queue for its broadcast and the customer's place in
  // line, and dispatch's look at who could take it.
  // Redis: the conversation's lock (take, release), the timer queue's scripts for the pickup
  // clock, the broadcasts of the message's turn in one publish and the queue pass's in another.
  within(opened, 8, 6);
  // In a conversation that is open, a message that changes no clock: find, insert, update;
  // in Redis the lock and one publish for the agents' `message` and `conversation:updated`
  // and the customer's echo.
  within(await each(says('c2', 'anyone?')), 3, 3);
  // A take: the agent, the conversation, its seat and the agent's seats (one read), the new
  // seat, the pickup's measurement, one update and one batch of events; then one read of the
  // queue for its broadcast and the places of the customers still waiting.
  within(
    await each((_v, i) =>
      call<ConversationView>(agent, 'conversation:take', { conversationId: conversations[i] }),
    ),
    8,
    5,
  );
  within(await each(says('c3', 'still there?')), 3, 3);
  // The replies reach the visitors (their send jobs done) before the next messages are counted.
  await Promise.all(
    visitors.map(async (v, i) => {
      const delivered = new Promise((resolve) =>
        v.on('message', (m: MessageView) => {
          if (m.text === 'Yes, here.') resolve(m);
        }),
      );
      await call(agent, 'message:send', {
        conversationId: conversations[i],
        clientId: `a1-${i}`,
        text: 'Yes, here.',
      });
      await delivered;
    }),
  );
  // One that starts the reply clock: the clock goes into the same update, its event into one insert.
  // Redis adds the clock's timer job.
  within(await each(says('c4', 'great')), 4, 4);
  for (const v of visitors) v.disconnect();
  agent.disconnect();
});

it('tells a burst of new customers their places in line from a few reads of the queue, not one each', async () => {
  const desk = await createDesk(gw);
  const visitors = await Promise.all(
    Array.from({ length: 10 }, async () =>
      connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token),
    ),
  );
  // Each customer's first status that carries a place in line, and the latest.
  const latest = new Map<number, number>();
  const places = visitors.map(
    (v, i) =>
      new Promise<VisitorStatusView>((resolve) =>
        v.on('status', (st: VisitorStatusView) => {
          if (st.queuePosition === null) return;
          latest.set(i, st.queuePosition);
          resolve(st);
        }),
      ),
  );
  const burst = await counter.cost(() =>
    Promise.all([
      ...visitors.map((v, i) => call<MessageView>(v, 'message:send', { clientId: `b-${i}`, text: 'hi' })),
      ...places,
    ]),
  );
  const told = await Promise.all(places);
  // Every customer's place ends as the one the stored queue gives: one told a place that
  // changed (someone who arrived earlier was stored later) is told again.
  const queued = await gw.models.Conversation.find({ teamId: desk.team._id, status: 'queued' }).lean();
  expect(queued).toHaveLength(10);
  const stored = new Map<number, number>();
  for (const [i, st] of told.entries()) {
    const conv = queued.find((c) => String(c._id) === st.conversationId)!;
    stored.set(i, (await placeInQueue(gw.models.Conversation, conv))!);
  }
  await eventually(
    async () => [...stored].filter(([i, place]) => latest.get(i) !== place),
    (wrong) => wrong.length === 0,
  );
  // Arrivals within 100 ms share a read; without that, ten arrivals would be ten counts and more.
  const queueReads = burst.dbCommands.filter(
    (c) => c === 'find:conversations' || c === 'aggregate:conversations',
  );
  expect(queueReads.length).toBeLessThanOrEqual(5);
  for (const v of visitors) v.disconnect();
});

it('tells a waiting customer their new place when someone who arrived earlier joins the queue after them', async () => {
  const desk = await createDesk(gw);
  const v = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
  const placesTold: number[] = [];
  const firstPlace = new Promise<void>((resolve) =>
    v.on('status', (st: VisitorStatusView) => {
      if (st.queuePosition === null) return;
      placesTold.push(st.queuePosition);
      resolve();
    }),
  );
  const mine = await call<MessageView>(v, 'message:send', { clientId: 'late-1', text: 'hello' });
  await firstPlace;
  expect(placesTold).toEqual([1]);
  // A conversation that entered the queue before this one, stored only now (another process's).
  const conv = await gw.models.Conversation.findById(mine.conversationId).lean();
  const earlier = await gw.models.Conversation.create({
    inboxId: desk.inbox._id,
    contactId: new Types.ObjectId(),
    channel: 'webchat',
    status: 'queued',
    liveKey: `earlier:${String(new Types.ObjectId())}`,
    teamId: desk.team._id,
    priority: conv!.priority,
    queuedAt: new Date(conv!.queuedAt!.getTime() - 1000),
    lastMessageAt: new Date(),
    number: 900_000 + Math.floor(Math.random() * 1000),
  });
  expect(earlier.status).toBe('queued');
  // The next arrival's pass reads the queue again: this customer's place changed and is told.
  const next = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
  await call<MessageView>(next, 'message:send', { clientId: 'late-2', text: 'hello' });
  await eventually(
    async () => placesTold,
    (p) => p.length >= 2,
  );
  expect(placesTold).toEqual([1, 2]);
  v.disconnect();
  next.disconnect();
});
