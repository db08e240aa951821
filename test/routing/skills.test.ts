/**
 * Skill routing: a category that requires a skill is offered to the team's agents with
 * that skill first, and to the whole team once its wait is over (or at once while nobody
 * with the skill is online); the widening happens on time with nothing else going on,
 * and the timeline records it.
 */
import type { ConversationView, MessageView, OfferView } from '../../shared/protocol';
import {
  api,
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  suiteGateway,
  type AgentClient,
} from '../harness/gateway';

const gw = suiteGateway({ env: { OFFER_TIMEOUT_MS: '20000', ROUTING_SKILL_WAIT_MS: '1000' } });
const sockets: { close(): void }[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

async function visitorSays(inboxKey: string, text: string) {
  const s = await openVisitorSession(gw.url, inboxKey);
  const v = await connectVisitor(gw.url, s.token);
  sockets.push(v);
  return call<MessageView>(v, 'message:send', { clientId: `${text}-id`, text });
}

async function online(token: string): Promise<AgentClient> {
  const s = await connectAgent(gw.url, token);
  sockets.push(s);
  await call(s, 'presence:set', { presence: 'online' });
  return s;
}

async function withSkills(id: string, skills: string[]) {
  await gw.models.Agent.updateOne({ _id: id }, { $set: { skills } });
}

let admin = '';
beforeAll(async () => {
  admin = (await createAgent(gw, { role: 'admin' })).token;
  const billing = await api(gw.url, admin, 'PATCH', '/categories/billing', {
    requiredSkill: 'billing',
    skillWaitMs: 1500,
  });
  expect(billing.body).toMatchObject({ category: { requiredSkill: 'billing', skillWaitMs: 1500 } });
  // Technical support waits as long as ROUTING_SKILL_WAIT_MS says.
  await api(gw.url, admin, 'PATCH', '/categories/technical', { requiredSkill: 'Tech' });
});

describe('skill routing', () => {
  it('offers a category that requires a skill to skilled agents first, and to the whole team after its wait', async () => {
    const desk = await createDesk(gw);
    const skilled = await desk.agent({ name: 'Skilled', capacity: 1 });
    const other = await desk.agent({ name: 'Other', capacity: 3 });
    await withSkills(skilled.id, ['Billing']);
    const ss = await online(skilled.token);
    const so = await online(other.token);
    const toOther: string[] = [];
    so.on('offer', (o: OfferView) => toOther.push(o.conversation.id));

    // Least busy would pick either; the skill decides.
    const first = nextEvent<OfferView>(ss, 'offer');
    const m1 = await visitorSays(desk.inbox.key, 'a question about my invoice');
    expect((await first).conversation.id).toBe(m1.conversationId);
    expect(toOther).toEqual([]);
    await call<ConversationView>(ss, 'offer:accept', { conversationId: m1.conversationId });

    // The skilled agent is full: the next billing chat waits for them, then goes to the team.
    const widened = nextEvent<OfferView>(so, 'offer');
    const m2 = await visitorSays(desk.inbox.key, 'I was overcharged');
    const offer = await widened;
    expect(toOther).toEqual([m2.conversationId]);
    const conv = await gw.models.Conversation.findById(m2.conversationId).lean();
    const queuedAt = conv!.queuedAt!.getTime();
    expect(offer.conversation.id).toBe(m2.conversationId);
    expect(Date.now()).toBeGreaterThanOrEqual(queuedAt + 1500);

    const events = await gw.models.ConversationEvent.find({
      conversationId: m2.conversationId,
      type: { $in: ['conversation.widened', 'conversation.offered'] },
    })
      .sort({ at: 1, _id: 1 })
      .lean();
    expect(events.map((e) => e.type)).toEqual(['conversation.widened', 'conversation.offered']);
    expect(events[0]!.data).toEqual({ skill: 'billing', reason: 'wait_over', waitMs: 1500 });
    expect(events[0]!.at.getTime()).toBeGreaterThanOrEqual(queuedAt + 1500);
    expect(events[1]!.data.agentId).toBe(other.id);
    for (const s of [ss, so]) await call(s, 'presence:set', { presence: 'offline' });
  });

  it('waits ROUTING_SKILL_WAIT_MS when the category sets no wait of its own, and matches skills whatever their case', async () => {
    const desk = await createDesk(gw);
    const skilled = await desk.agent({ capacity: 1 });
    const other = await desk.agent({ capacity: 3 });
    await withSkills(skilled.id, ['tech']);
    const ss = await online(skilled.token);
    const so = await online(other.token);
    const first = nextEvent<OfferView>(ss, 'offer');
    const m1 = await visitorSays(desk.inbox.key, 'the app shows an error');
    expect((await first).conversation.id).toBe(m1.conversationId);

    // Unanswered, the offer holds the skilled agent's only seat; the next one widens after 1 s.
    const widened = nextEvent<OfferView>(so, 'offer');
    const m2 = await visitorSays(desk.inbox.key, 'another error, it crashed');
    expect((await widened).conversation.id).toBe(m2.conversationId);
    const event = await gw.models.ConversationEvent.findOne({
      conversationId: m2.conversationId,
      type: 'conversation.widened',
    }).lean();
    expect(event?.data).toEqual({ skill: 'Tech', reason: 'wait_over', waitMs: 1000 });
    for (const s of [ss, so]) await call(s, 'presence:set', { presence: 'offline' });
  });

  it('goes to the whole team at once while nobody with the skill is online', async () => {
    const desk = await createDesk(gw);
    const skilled = await desk.agent();
    const other = await desk.agent();
    await withSkills(skilled.id, ['billing']);
    const so = await online(other.token);
    const offer = nextEvent<OfferView>(so, 'offer', () => true, 1200);
    const m = await visitorSays(desk.inbox.key, 'where is my bill');
    expect((await offer).conversation.id).toBe(m.conversationId);
    const events = await eventually(
      () =>
        gw.models.ConversationEvent.find({
          conversationId: m.conversationId,
          type: 'conversation.widened',
        }).lean(),
      (l) => l.length === 1,
    );
    expect(events[0]!.data).toMatchObject({ reason: 'none_skilled_online' });
    await call(so, 'presence:set', { presence: 'offline' });
  });

  it('narrows nothing for a category without a skill', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent();
    const sa = await online(a.token);
    const offer = nextEvent<OfferView>(sa, 'offer', () => true, 1200);
    const m = await visitorSays(desk.inbox.key, 'just a general question');
    expect((await offer).conversation.id).toBe(m.conversationId);
    expect(
      await gw.models.ConversationEvent.countDocuments({
        conversationId: m.conversationId,
        type: 'conversation.widened',
      }),
    ).toBe(0);
    const r = await callRaw(sa, 'offer:decline', { conversationId: m.conversationId });
    expect(r.ok).toBe(true);
    await call(sa, 'presence:set', { presence: 'offline' });
  });

  it('refuses a wait that is not a whole number of milliseconds up to a day', async () => {
    for (const skillWaitMs of [-1, 1.5, 86_400_001, '100']) {
      const r = await api(gw.url, admin, 'PATCH', '/categories/billing', { skillWaitMs });
      expect(r.status).toBe(400);
    }
    const cleared = await api(gw.url, admin, 'PATCH', '/categories/billing', { skillWaitMs: null });
    expect(cleared.body).toMatchObject({ category: { skillWaitMs: null } });
    const r = await api(gw.url, admin, 'PATCH', '/categories/billing', { skillWaitMs: 1500 });
    expect(r.status).toBe(200);
  });
});
