/**
 * Agents classify conversations: category, labels and priority over REST and the
 * socket, each change on the timeline and broadcast, bad input refused with a reason;
 * VIP contacts are raised to high priority; the policy side hears of every change.
 */
import request from 'supertest';
import type { Ack, ConversationView, MessageView } from '../../shared/protocol';
import {
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  nextEvent,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';

let gw: TestGateway;
const told: [string, string][] = [];
beforeAll(async () => {
  gw = await startGateway({
    policyInputsChanged: async (id, reason) => {
      told.push([id, reason]);
    },
  });
});
afterAll(async () => {
  await gw.close();
});
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

async function conversation(inboxKey: string, text = 'Hello there') {
  const s = await openVisitorSession(gw.url, inboxKey, { name: 'Vera' });
  const visitor = await connectVisitor(gw.url, s.token);
  const sent = await call<MessageView>(visitor, 'message:send', { clientId: `c-${Date.now()}`, text });
  visitor.disconnect();
  return sent.conversationId;
}
const events = (conversationId: string, type: string) =>
  gw.models.ConversationEvent.find({ conversationId, type }).sort({ at: 1, _id: 1 }).lean();

describe('PATCH /api/conversations/:id', () => {
  it('changes category, labels and priority, each a timeline event, and tells the policy side', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const id = await conversation(desk.inbox.key);
    const res = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(ana.token))
      .send({ category: 'billing', labels: [' refund ', 'VIP', 'vip', '', 'late delivery'], priority: 3 });
    expect(res.status).toBe(200);
    expect(res.body.conversation).toMatchObject({
      id,
      category: 'billing',
      labels: ['refund', 'VIP', 'late delivery'],
      priority: 3,
    });
    const [category] = await events(id, 'conversation.category_changed');
    expect(category?.data).toEqual({ from: null, to: 'billing', by: 'agent' });
    expect(String(category?.actor.id)).toBe(ana.id);
    const [labels] = await events(id, 'conversation.labels_changed');
    expect(labels?.data).toMatchObject({ from: [], added: ['refund', 'VIP', 'late delivery'], removed: [] });
    const [priority] = await events(id, 'conversation.priority_changed');
    expect(priority?.data).toEqual({ from: 1, to: 3, reason: 'agent' });
    expect(told).toContainEqual([id, 'category+priority']);

    // The same values again change nothing and record nothing.
    const before = told.length;
    await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(ana.token))
      .send({ category: 'billing' });
    expect(await events(id, 'conversation.category_changed')).toHaveLength(1);
    expect(told).toHaveLength(before);

    const cleared = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(ana.token))
      .send({ category: null, labels: ['refund'] });
    expect(cleared.body.conversation).toMatchObject({ category: null, labels: ['refund'] });
    const [, removed] = await events(id, 'conversation.labels_changed');
    expect(removed?.data).toMatchObject({ added: [], removed: ['VIP', 'late delivery'] });
  });

  it.each([
    ['an unknown category', { category: 'astrology' }, /no category "astrology"/],
    ['a malformed category', { category: 'Not A Key' }, /category/],
    ['more than 20 labels', { labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, /at most 20 labels/],
    ['a label over 40 characters', { labels: ['x'.repeat(41)] }, /at most 40 characters/],
    ['a priority out of range', { priority: 4 }, /priority/],
    ['a priority given as a name', { priority: 'high' }, /priority/],
    ['an empty change', {}, /send category, labels or priority/],
    ['an unknown field', { colour: 'red' }, /colour/],
  ])('refuses %s with 400 and a reason', async (_what, body, reason) => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const id = await conversation(desk.inbox.key);
    const res = await request(gw.url).patch(`/api/conversations/${id}`).set(auth(ana.token)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toMatch(reason);
  });

  it('allows 20 labels once duplicates are dropped, and refuses archived categories', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const id = await conversation(desk.inbox.key);
    const twenty = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const ok = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(ana.token))
      .send({ labels: [...twenty, 'L0', ' l1 '] });
    expect(ok.body.conversation.labels).toEqual(twenty);
    await gw.models.Category.create({ key: 'legacy', names: { en: 'Legacy', zh: '旧分类' }, enabled: false });
    const archived = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(ana.token))
      .send({ category: 'legacy' });
    expect([archived.status, archived.body.error.message]).toEqual([400, 'category: "legacy" is archived.']);
  });

  it('keeps agents to queued conversations and their own; supervisors change any', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const bo = await desk.agent();
    const sup = await desk.agent({ role: 'supervisor' });
    const id = await conversation(desk.inbox.key);
    const anaSocket = await connectAgent(gw.url, ana.token);
    await call(anaSocket, 'conversation:take', { conversationId: id });
    const refused = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(bo.token))
      .send({ labels: ['x'] });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'not_assigned_to_you']);
    const bySupervisor = await request(gw.url)
      .patch(`/api/conversations/${id}`)
      .set(auth(sup.token))
      .send({ priority: 0 });
    expect(bySupervisor.body.conversation.priority).toBe(0);
    expect(
      (
        await request(gw.url)
          .patch('/api/conversations/000000000000000000000000')
          .set(auth(sup.token))
          .send({ priority: 0 })
      ).status,
    ).toBe(404);
    expect((await request(gw.url).patch(`/api/conversations/${id}`).send({ priority: 0 })).status).toBe(401);
    anaSocket.disconnect();
  });
});

describe('the conversation:classify socket event', () => {
  it('answers with the conversation, broadcasts the change, and acks errors', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const sup = await desk.agent({ role: 'supervisor' });
    const id = await conversation(desk.inbox.key);
    const [anaSocket, supSocket] = await Promise.all([
      connectAgent(gw.url, ana.token),
      connectAgent(gw.url, sup.token),
    ]);
    await call(anaSocket, 'conversation:take', { conversationId: id });
    const seen = nextEvent<ConversationView>(
      supSocket,
      'conversation:updated',
      (c) => c.id === id && c.category === 'returns',
    );
    const view = await call<ConversationView>(anaSocket, 'conversation:classify', {
      conversationId: id,
      category: 'returns',
      labels: ['换货'],
    });
    expect(view).toMatchObject({ id, category: 'returns', labels: ['换货'], assigneeId: ana.id });
    expect((await seen).labels).toEqual(['换货']);
    expect(await events(id, 'conversation.category_changed')).toHaveLength(1);

    const bad = await callRaw<ConversationView>(anaSocket, 'conversation:classify', {
      conversationId: id,
      priority: 9,
    });
    expect(bad.ok).toBe(false);
    expect((bad as Extract<Ack<never>, { ok: false }>).error.code).toBe('invalid_input');
    const nothing = await callRaw(anaSocket, 'conversation:classify', { conversationId: id });
    expect(nothing).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await callRaw(anaSocket, 'conversation:classify', {
      conversationId: id,
      category: 'nope',
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'category: there is no category "nope".' },
    });
    anaSocket.disconnect();
    supSocket.disconnect();
  });
});

describe('VIP contacts', () => {
  it('raises open conversations to high priority when a supervisor marks the contact VIP', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent();
    const sup = await desk.agent({ role: 'supervisor' });
    const id = await conversation(desk.inbox.key);
    const conv = await gw.models.Conversation.findById(id).lean();
    const contactId = String(conv?.contactId);

    const byAgent = await request(gw.url)
      .patch(`/api/contacts/${contactId}`)
      .set(auth(ana.token))
      .send({ vip: true });
    expect(byAgent.status).toBe(403);
    const res = await request(gw.url)
      .patch(`/api/contacts/${contactId}`)
      .set(auth(sup.token))
      .send({ vip: true, dedicatedAgentId: ana.id });
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ id: contactId, vip: true, dedicatedAgentId: ana.id });
    expect((await gw.models.Conversation.findById(id).lean())?.priority).toBe(2);
    const [raised] = await events(id, 'conversation.priority_changed');
    expect(raised?.data).toEqual({ from: 1, to: 2, reason: 'vip' });
    expect(told).toContainEqual([id, 'vip+priority']);
    const profile = await request(gw.url).get(`/api/contacts/${contactId}`).set(auth(ana.token));
    expect(profile.body.contact).toMatchObject({ vip: true, dedicatedAgentId: ana.id });

    // Ending VIP keeps the priority but still tells the policy side.
    await request(gw.url).patch(`/api/contacts/${contactId}`).set(auth(sup.token)).send({ vip: false });
    expect((await gw.models.Conversation.findById(id).lean())?.priority).toBe(2);
    expect(told.filter(([c]) => c === id).at(-1)).toEqual([id, 'vip']);
    const unset = await request(gw.url)
      .patch(`/api/contacts/${contactId}`)
      .set(auth(sup.token))
      .send({ dedicatedAgentId: null });
    expect(unset.body.contact.dedicatedAgentId).toBeNull();
  });

  it('opens a VIP contact’s new conversation at high priority', async () => {
    const desk = await createDesk(gw);
    const sup = await desk.agent({ role: 'supervisor' });
    const s = await openVisitorSession(gw.url, desk.inbox.key);
    const visitor = await connectVisitor(gw.url, s.token);
    const first = await call<MessageView>(visitor, 'message:send', { clientId: 'a', text: 'hi' });
    const contactId = String((await gw.models.Conversation.findById(first.conversationId).lean())?.contactId);
    await request(gw.url).patch(`/api/contacts/${contactId}`).set(auth(sup.token)).send({ vip: true });
    await request(gw.url)
      .patch(`/api/conversations/${first.conversationId}`)
      .set(auth(sup.token))
      .send({ priority: 1 });
    const agentSocket = await connectAgent(gw.url, sup.token);
    await call(agentSocket, 'conversation:resolve', { conversationId: first.conversationId });
    await gw.models.Conversation.updateOne(
      { _id: first.conversationId },
      { $set: { resolvedAt: new Date(0) } },
    );
    const second = await call<MessageView>(visitor, 'message:send', { clientId: 'b', text: 'hello again' });
    expect(second.conversationId).not.toBe(first.conversationId);
    expect((await gw.models.Conversation.findById(second.conversationId).lean())?.priority).toBe(2);
    visitor.disconnect();
    agentSocket.disconnect();
  });

  it('refuses an unknown dedicated agent, an unknown contact and an empty change', async () => {
    const sup = await createAgent(gw, { role: 'admin' });
    const desk = await createDesk(gw);
    const id = await conversation(desk.inbox.key);
    const contactId = String((await gw.models.Conversation.findById(id).lean())?.contactId);
    const ghost = await request(gw.url)
      .patch(`/api/contacts/${contactId}`)
      .set(auth(sup.token))
      .send({ dedicatedAgentId: '000000000000000000000000' });
    expect([ghost.status, ghost.body.error.message]).toEqual([
      400,
      'dedicatedAgentId: no active agent has this id.',
    ]);
    expect(
      (await request(gw.url).patch(`/api/contacts/${contactId}`).set(auth(sup.token)).send({})).status,
    ).toBe(400);
    expect(
      (await request(gw.url).patch(`/api/contacts/${contactId}`).set(auth(sup.token)).send({ vip: 'yes' }))
        .status,
    ).toBe(400);
    expect(
      (
        await request(gw.url)
          .patch('/api/contacts/000000000000000000000000')
          .set(auth(sup.token))
          .send({ vip: true })
      ).status,
    ).toBe(404);
  });
});
