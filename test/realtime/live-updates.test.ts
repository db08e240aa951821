/** Live updates both sides rely on: the visitor's status and place in line, typing, read receipts, the supervisor's picture. */
import type {
  AgentView,
  ConversationView,
  MessageView,
  OfferView,
  VisitorStatusView,
} from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway();

it('tells the visitor their place in line, then who is with them, then that it is resolved', async () => {
  const desk = await createDesk(gw);
  const s1 = await openVisitorSession(gw.url, desk.inbox.key);
  const s2 = await openVisitorSession(gw.url, desk.inbox.key);
  const v1 = await connectVisitor(gw.url, s1.token);
  const v2 = await connectVisitor(gw.url, s2.token);
  const m1 = await call<MessageView>(v1, 'message:send', { clientId: 'a', text: 'first in line' });
  const m2 = await call<MessageView>(v2, 'message:send', { clientId: 'b', text: 'second in line' });
  const st = await call<VisitorStatusView>(v2, 'status:get', {});
  expect(st.status).toBe('queued');
  // Each team has its own queue: customers of other desks waiting meanwhile do not count.
  expect(st.queuePosition).toBe(2);
  expect(st.pickupDueAt).not.toBeNull();

  const agent = await desk.agent({ name: 'Mei' });
  const a = await connectAgent(gw.url, agent.token);
  await call(a, 'presence:set', { presence: 'away' });
  // The first customer is picked up: the second moves up and is told so at once.
  const movedUp = nextEvent<VisitorStatusView>(v2, 'status', (x) => x.queuePosition === 1);
  await call(a, 'conversation:take', { conversationId: m1.conversationId });
  expect(await movedUp).toMatchObject({ status: 'queued', conversationId: m2.conversationId });
  const withAgent = nextEvent<VisitorStatusView>(v2, 'status', (x) => x.status === 'assigned');
  await call(a, 'conversation:take', { conversationId: m2.conversationId });
  expect(await withAgent).toMatchObject({ status: 'assigned', agentName: 'Mei', queuePosition: null });

  const resolved = nextEvent<VisitorStatusView>(v2, 'status', (x) => x.status === 'resolved');
  await call(a, 'conversation:resolve', { conversationId: m2.conversationId });
  expect((await resolved).conversationId).toBe(m2.conversationId);
  v1.close();
  v2.close();
  a.close();
});

it('shows typing both ways and read receipts to the agent', async () => {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Ola' });
  const a = await connectAgent(gw.url, agent.token);
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', { clientId: 't1', text: 'hello' });
  await call(a, 'conversation:take', { conversationId: m.conversationId });

  const agentSees = nextEvent<{ conversationId: string; typing: boolean; by: string }>(
    a,
    'typing',
    (t) => t.by === 'contact',
  );
  v.emit('typing', { typing: true });
  expect(await agentSees).toMatchObject({ conversationId: m.conversationId, typing: true });
  const visitorSees = nextEvent<{ typing: boolean; agentName: string | null }>(v, 'typing');
  a.emit('typing', { conversationId: m.conversationId, typing: true });
  expect(await visitorSees).toEqual({ typing: true, agentName: 'Ola' });

  const reply = await call<MessageView>(a, 'message:send', {
    conversationId: m.conversationId,
    clientId: 'r',
    text: 'hi!',
  });
  const read = nextEvent<MessageView>(a, 'message:updated', (x) => x.id === reply.id && x.readAt !== null);
  await call(v, 'messages:read', { upTo: reply.id });
  expect((await read).delivery.status).toBe('read');

  // A read receipt naming someone else's message neither marks nor reveals it.
  const other = await openVisitorSession(gw.url, desk.inbox.key);
  const ov = await connectVisitor(gw.url, other.token);
  const om = await call<MessageView>(ov, 'message:send', { clientId: 'o1', text: 'other customer' });
  await call(a, 'conversation:take', { conversationId: om.conversationId });
  const secret = await call<MessageView>(a, 'message:send', {
    conversationId: om.conversationId,
    clientId: 'o-r',
    text: 'for the other customer only',
  });
  const leaked: MessageView[] = [];
  v.on('message:updated', (x: MessageView) => leaked.push(x));
  await call(v, 'messages:read', { upTo: secret.id });
  await call(v, 'status:get', {});
  expect(leaked).toEqual([]);
  expect((await gw.models.Message.findById(secret.id).lean())?.readAt).toBeNull();
  ov.close();
  v.close();
  a.close();
});

it('streams agents’ load and presence to supervisors and gives them a snapshot', async () => {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Pat', capacity: 2 });
  const sup = await connectAgent(gw.url, (await desk.agent({ role: 'supervisor', capacity: 0 })).token);
  const a = await connectAgent(gw.url, agent.token);
  const online = nextEvent<AgentView>(
    sup,
    'agent:updated',
    (x) => x.id === agent.id && x.presence === 'online',
  );
  await call(a, 'presence:set', { presence: 'online' });
  await online;
  const loaded = nextEvent<AgentView>(sup, 'agent:updated', (x) => x.id === agent.id && x.load === 1);
  const offer = nextEvent<OfferView>(a, 'offer');
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  await call(v, 'message:send', { clientId: 'load', text: 'hello' });
  await call<ConversationView>(a, 'offer:accept', { conversationId: (await offer).conversation.id });
  await loaded;
  const snap = await call<{ agents: AgentView[]; queue: ConversationView[] }>(sup, 'supervisor:snapshot', {});
  expect(snap.agents.find((x) => x.id === agent.id)).toMatchObject({
    presence: 'online',
    load: 1,
    capacity: 2,
  });
  await call(a, 'presence:set', { presence: 'offline' });
  v.close();
  a.close();
  sup.close();
});
