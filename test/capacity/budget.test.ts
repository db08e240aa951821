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
  // Background sweeps and the routing tick are far apart, so only the operation is counted.
  gw = await startGateway({
    env: { SLA_SWEEP_INTERVAL_MS: '600000', OFFER_TIMEOUT_MS: '600000' },
    onDatabaseCommand: counter.onDatabaseCommand,
  });
});
afterAll(async () => {
  await gw?.close();
  counter.uninstall();
});

const show = (what: string, c: Cost) =>
  console.log(`${what}: db ${c.db} [${c.dbCommands.join(' ')}] redis ${c.redis} [${c.redisCommands.join(' ')}]`);

it('measures', async () => {
  const desk = await createDesk(gw);
  const a = await desk.agent({ capacity: 5 });
  const agent = await connectAgent(gw.url, a.token);
  await call(agent, 'presence:set', { presence: 'away' });
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const visitor = await connectVisitor(gw.url, s.token);
  let conversationId = '';
  const first = await counter.cost(async () => {
    conversationId = (await call<MessageView>(visitor, 'message:send', { clientId: 'c1', text: 'hello' })).conversationId;
  });
  show('new conversation', first);
  const queued = await counter.cost(() => call(visitor, 'message:send', { clientId: 'c2', text: 'anyone?' }));
  show('message while queued', queued);
  const take = await counter.cost(() => call<ConversationView>(agent, 'conversation:take', { conversationId }));
  show('take', take);
  const waiting = await counter.cost(() => call(visitor, 'message:send', { clientId: 'c3', text: 'still there?' }));
  show('message, reply clock running', waiting);
  await call(agent, 'message:send', { conversationId, clientId: 'a1', text: 'Yes, here.' });
  const starts = await counter.cost(() => call(visitor, 'message:send', { clientId: 'c4', text: 'great' }));
  show('message starting the reply clock', starts);
  visitor.disconnect();
  agent.disconnect();
});
