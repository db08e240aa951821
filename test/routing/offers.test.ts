/** Offers go to one agent at a time; an offer not accepted in time moves on; the router never exceeds capacity. */
import type { ConversationView, MessageView, OfferView } from '../../shared/protocol';
import {
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway({ env: { OFFER_TIMEOUT_MS: '1000', AGENT_OFFLINE_GRACE_MS: '800' } });

async function visitorSays(inboxKey: string, text: string) {
  const s = await openVisitorSession(gw.url, inboxKey);
  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', { clientId: `${text}-id`, text });
  return { v, m };
}

/** The conversation's offers, expiries and acceptance, in order. */
const offerEvents = (conversationId: string) =>
  gw.models.ConversationEvent.find({
    conversationId,
    type: { $in: ['conversation.offered', 'conversation.offer_expired', 'conversation.accepted'] },
  })
    .sort({ at: 1, _id: 1 })
    .lean();

/** An offer that ran out, then one accepted. */
const EXPIRED_THEN_ACCEPTED = [
  'conversation.offered',
  'conversation.offer_expired',
  'conversation.offered',
  'conversation.accepted',
];

describe('offers', () => {
  it('moves an offer that is not accepted within the timeout to the next agent', async () => {
    const desk = await createDesk(gw);
    const [first, second] = [await desk.agent({ name: 'First' }), await desk.agent({ name: 'Second' })];
    const s1 = await connectAgent(gw.url, first.token);
    const s2 = await connectAgent(gw.url, second.token);
    await call(s1, 'presence:set', { presence: 'online' });
    await call(s2, 'presence:set', { presence: 'online' });

    const offer1 = Promise.race([
      nextEvent<OfferView>(s1, 'offer').then((o) => ({ o, to: 's1' })),
      nextEvent<OfferView>(s2, 'offer').then((o) => ({ o, to: 's2' })),
    ]);
    const { v, m } = await visitorSays(desk.inbox.key, 'hello');
    const firstOffer = await offer1;
    const [holder, other] = firstOffer.to === 's1' ? [s1, s2] : [s2, s1];

    const revoked = nextEvent<{ conversationId: string; reason: string }>(holder, 'offer:revoked');
    const moved = await nextEvent<OfferView>(other, 'offer', (o) => o.conversation.id === m.conversationId);
    expect((await revoked).reason).toBe('expired');
    const late = await callRaw(holder, 'offer:accept', { conversationId: m.conversationId });
    expect(late).toMatchObject({ ok: false, error: { code: 'offer_not_found' } });
    const ok = await call<ConversationView>(other, 'offer:accept', { conversationId: moved.conversation.id });
    expect(ok.status).toBe('assigned');
    const events = await offerEvents(m.conversationId);
    expect(events.map((e) => e.type)).toEqual(EXPIRED_THEN_ACCEPTED);
    for (const s of [s1, s2]) await call(s, 'presence:set', { presence: 'offline' });
    v.close();
    s1.close();
    s2.close();
  });

  it('offers the conversation again, after a pause, to the only agent who let it pass', async () => {
    const desk = await createDesk(gw);
    const alone = await desk.agent({ name: 'Alone' });
    const s = await connectAgent(gw.url, alone.token);
    await call(s, 'presence:set', { presence: 'online' });
    const first = nextEvent<OfferView>(s, 'offer');
    const { v, m } = await visitorSays(desk.inbox.key, 'anyone there?');
    expect((await first).conversation.id).toBe(m.conversationId);
    // The offer runs out unanswered; no one else can take it, so it comes back to the same agent.
    const revoked = nextEvent<{ conversationId: string; reason: string }>(s, 'offer:revoked');
    const again = nextEvent<OfferView>(s, 'offer', (o) => o.conversation.id === m.conversationId, 10_000);
    expect((await revoked).reason).toBe('expired');
    const second = await again;
    const ok = await call<ConversationView>(s, 'offer:accept', { conversationId: second.conversation.id });
    expect(ok.status).toBe('assigned');
    const events = await offerEvents(m.conversationId);
    expect(events.map((e) => e.type)).toEqual(EXPIRED_THEN_ACCEPTED);
    // The new round waited out the pause (the offer timeout) after the expiry.
    const conv = await gw.models.Conversation.findById(m.conversationId).lean();
    const reoffered = events[2]!.at.getTime();
    expect(reoffered - conv!.lastOfferEndedAt!.getTime()).toBeGreaterThanOrEqual(1000);
    await call(s, 'presence:set', { presence: 'offline' });
    v.close();
    s.close();
  });

  it('offers to the least busy agent and never beyond capacity', async () => {
    const desk = await createDesk(gw);
    const busy = await desk.agent({ capacity: 2 });
    const idle = await desk.agent({ capacity: 2 });
    const sb = await connectAgent(gw.url, busy.token);
    await call(sb, 'presence:set', { presence: 'online' });
    const firstOffer = nextEvent<OfferView>(sb, 'offer');
    const c1 = await visitorSays(desk.inbox.key, 'one');
    await call(sb, 'offer:accept', { conversationId: (await firstOffer).conversation.id });

    const si = await connectAgent(gw.url, idle.token);
    const idleOffer = nextEvent<OfferView>(si, 'offer');
    await call(si, 'presence:set', { presence: 'online' });
    const c2 = await visitorSays(desk.inbox.key, 'two');
    expect((await idleOffer).conversation.id).toBe(c2.m.conversationId);
    await call(si, 'offer:accept', { conversationId: c2.m.conversationId });

    // Fill both agents, then one more waits in the queue.
    const more = [
      await visitorSays(desk.inbox.key, 'three'),
      await visitorSays(desk.inbox.key, 'four'),
      await visitorSays(desk.inbox.key, 'five'),
    ];
    await eventually(
      () => gw.models.Assignment.countDocuments({ agentId: { $in: [busy.id, idle.id] } }),
      (n) => n >= 4,
    );
    for (const id of [busy.id, idle.id])
      expect(await gw.models.Assignment.countDocuments({ agentId: id })).toBe(2);
    const waiting = await gw.models.Conversation.countDocuments({
      _id: { $in: more.map((x) => x.m.conversationId) },
      status: 'queued',
    });
    expect(waiting).toBe(3);
    for (const s of [sb, si]) await call(s, 'presence:set', { presence: 'offline' });
    for (const x of [c1, c2, ...more]) x.v.close();
    sb.close();
    si.close();
  });

  it('offers a waiting queue to every agent with room in one pass, none beyond capacity', async () => {
    const desk = await createDesk(gw);
    const agents = await Promise.all([1, 2, 3].map(() => desk.agent({ capacity: 2 })));
    const sockets = await Promise.all(agents.map((a) => connectAgent(gw.url, a.token)));
    const waiting = [];
    for (const i of [1, 2, 3, 4, 5, 6, 7]) waiting.push(await visitorSays(desk.inbox.key, `queued ${i}`));
    // All three come online at once: one pass offers to each of them.
    await gw.models.Agent.updateMany(
      { _id: { $in: agents.map((a) => a.id) } },
      { $set: { presence: 'online', presenceChangedAt: new Date() } },
    );
    await gw.app.router.dispatchOnce();
    // One read of the seats (an offer lapses after a second and moves on).
    const seats = await eventually(
      () => gw.models.Assignment.find({ agentId: { $in: agents.map((a) => a.id) } }).lean(),
      (found) => found.length >= 6,
    );
    expect(agents.map((a) => seats.filter((s) => String(s.agentId) === a.id).length)).toEqual([2, 2, 2]);
    const mine = new Set(waiting.map((w) => w.m.conversationId));
    expect(seats.filter((s) => mine.has(String(s.conversationId)))).toHaveLength(6);
    for (const s of sockets) await call(s, 'presence:set', { presence: 'offline' });
    for (const w of waiting) w.v.close();
    for (const s of sockets) s.close();
  });

  it('lets an agent take a conversation straight from the queue, and transfer it to a colleague', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Alice' });
    const b = await desk.agent({ name: 'Bob' });
    const sa = await connectAgent(gw.url, a.token);
    const sbk = await connectAgent(gw.url, b.token);
    // Away: no offers, but they keep what they take (offline agents' conversations return to the queue).
    for (const s of [sa, sbk]) await call(s, 'presence:set', { presence: 'away' });
    const { v, m } = await visitorSays(desk.inbox.key, 'take me');
    const taken = await call<ConversationView>(sa, 'conversation:take', { conversationId: m.conversationId });
    expect(taken).toMatchObject({ status: 'assigned', assigneeId: a.id, pickupClock: null });
    const again = await callRaw(sbk, 'conversation:take', { conversationId: m.conversationId });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_assigned' } });

    const forbidden = await callRaw(sbk, 'conversation:transfer', {
      conversationId: m.conversationId,
      toAgentId: b.id,
    });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'not_assigned_to_you' } });
    const moved = await call<ConversationView>(sa, 'conversation:transfer', {
      conversationId: m.conversationId,
      toAgentId: b.id,
      note: 'billing question',
    });
    expect(moved.assigneeId).toBe(b.id);
    expect(await gw.models.Assignment.countDocuments({ conversationId: m.conversationId })).toBe(1);
    expect(
      (await gw.models.Assignment.findOne({ conversationId: m.conversationId }).lean())?.agentId.toString(),
    ).toBe(b.id);

    const resolved = await call<ConversationView>(sbk, 'conversation:resolve', {
      conversationId: m.conversationId,
    });
    expect(resolved.status).toBe('resolved');
    expect(await gw.models.Assignment.countDocuments({ conversationId: m.conversationId })).toBe(0);

    // The customer writes again: the resolved conversation reopens into the queue.
    const reopened = await call<MessageView>(v, 'message:send', {
      clientId: 'back-again',
      text: 'one more thing',
    });
    expect(reopened.conversationId).toBe(m.conversationId);
    const conv = await gw.models.Conversation.findById(m.conversationId).lean();
    expect(conv?.status).toBe('queued');
    expect(conv?.clocks?.pickup).not.toBeNull();
    v.close();
    sa.close();
    sbk.close();
  });

  it('returns the conversations of an agent who went offline once the grace period is over', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent();
    const sa = await connectAgent(gw.url, a.token);
    const { v, m } = await visitorSays(desk.inbox.key, 'stay with me');
    await call(sa, 'conversation:take', { conversationId: m.conversationId });
    await call(sa, 'presence:set', { presence: 'online' });
    const sup = await connectAgent(gw.url, (await desk.agent({ role: 'supervisor', capacity: 0 })).token);
    const back = nextEvent<ConversationView>(
      sup,
      'conversation:updated',
      (c) => c.id === m.conversationId && c.status === 'queued',
    );
    sa.close(); // the last socket goes: offline, grace starts
    const conv = await back;
    expect(conv.assigneeId).toBeNull();
    const returned = await gw.models.ConversationEvent.findOne({
      conversationId: m.conversationId,
      type: 'conversation.returned',
    }).lean();
    expect(returned?.data).toMatchObject({ reason: 'agent_offline', from: a.id });
    const agent = await gw.models.Agent.findById(a.id).lean();
    expect(agent?.presence).toBe('offline');
    v.close();
    sup.close();
  });

  it('hands a waiting conversation straight to an agent on a supervisor transfer, starting the reply clock', async () => {
    const desk = await createDesk(gw);
    const offered = await desk.agent({ name: 'Offered' });
    const target = await desk.agent({ name: 'Target' });
    const lead = await desk.agent({ name: 'Lead', role: 'supervisor' });
    const so = await connectAgent(gw.url, offered.token);
    const st = await connectAgent(gw.url, target.token);
    const sl = await connectAgent(gw.url, lead.token);
    await call(so, 'presence:set', { presence: 'online' });
    await call(st, 'presence:set', { presence: 'away' });
    const offer = nextEvent<OfferView>(so, 'offer');
    const { v, m } = await visitorSays(desk.inbox.key, 'still waiting');
    await offer;

    const revoked = nextEvent<{ conversationId: string; reason: string }>(so, 'offer:revoked');
    const loadOfTarget = nextEvent<{ id: string; load: number }>(
      sl,
      'agent:updated',
      (a) => a.id === target.id,
    );
    const moved = await call<ConversationView>(sl, 'conversation:transfer', {
      conversationId: m.conversationId,
      toAgentId: target.id,
    });
    expect(moved).toMatchObject({ status: 'assigned', assigneeId: target.id });
    expect(await revoked).toEqual({ conversationId: m.conversationId, reason: 'taken' });
    expect((await loadOfTarget).load).toBe(1);
    const stored = await gw.models.Conversation.findById(m.conversationId).lean();
    expect(stored?.clocks?.pickup).toBeNull();
    expect(stored?.clocks?.reply?.dueAt).toBeInstanceOf(Date);
    expect(await gw.models.Assignment.countDocuments({ conversationId: m.conversationId })).toBe(1);
    v.close();
    for (const s of [so, st, sl]) s.close();
  });
});
