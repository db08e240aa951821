/**
 * What each hot operation costs in database and Redis commands, held to a budget so a
 * regression shows in CI: a customer message, a new conversation, an agent taking one.
 */
import type { ConversationView, MessageView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
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
  // Background sweeps, the routing tick and the search index's batches are far apart, so only the operation is counted.
  gw = await startGateway({
    env: {
      SLA_SWEEP_INTERVAL_MS: '600000',
      OFFER_TIMEOUT_MS: '600000',
      SEARCH_INDEX_DELAY_MS: '600000',
      SHIFT_CHECK_INTERVAL_MS: '600000',
      QUALITY_SWEEP_INTERVAL_MS: '600000',
      RETENTION_SWEEP_INTERVAL_MS: '600000',
    },
    onDatabaseCommand: counter.onDatabaseCommand,
  });
});
afterAll(async () => {
  await gw?.close();
  counter.uninstall();
});

/**
 * Database commands are exact (the background sweeps are far apart here). Redis counts
 * carry a margin of 2 for the timer queue's own polling, which shares the connections.
 */
function within(c: Cost, db: number, redis: number) {
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
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const visitor = await connectVisitor(gw.url, s.token);
  let conversationId = '';

  const opened = await counter.cost(async () => {
    conversationId = (await call<MessageView>(visitor, 'message:send', { clientId: 'c1', text: 'hello' }))
      .conversationId;
  });
  within(opened, 25, 9);
  // In a conversation that is open, a message that changes no clock: find, insert, update.
  within(await counter.cost(() => call(visitor, 'message:send', { clientId: 'c2', text: 'anyone?' })), 3, 5);
  within(
    await counter.cost(() => call<ConversationView>(agent, 'conversation:take', { conversationId })),
    22,
    9,
  );
  within(
    await counter.cost(() => call(visitor, 'message:send', { clientId: 'c3', text: 'still there?' })),
    3,
    5,
  );
  // The reply reaches the visitor (its send job done) before the next message is counted.
  const delivered = new Promise((resolve) =>
    visitor.on('message', (m: MessageView) => {
      if (m.text === 'Yes, here.') resolve(m);
    }),
  );
  await call(agent, 'message:send', { conversationId, clientId: 'a1', text: 'Yes, here.' });
  await delivered;
  // One that starts the reply clock: and the clock's write and its timeline event.
  within(await counter.cost(() => call(visitor, 'message:send', { clientId: 'c4', text: 'great' })), 5, 6);
  visitor.disconnect();
  agent.disconnect();
});
