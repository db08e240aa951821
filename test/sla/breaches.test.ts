/**
 * The SLA engine holds the two promises with short targets: warnings before the
 * deadline, breaches detected within a second of it, escalation after.
 */
import type { ConversationView, MessageView, OfferView, SlaAlertView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway({ env: { SLA_REPLY_BREACHES_BEFORE_REQUEUE: '2', OFFER_TIMEOUT_MS: '10000' } });

/** A supervisor of the desk's team: SLA alerts go to the supervisors of the conversation's team. */
async function supervisor(desk: Awaited<ReturnType<typeof createDesk>>) {
  const s = await desk.agent({ role: 'supervisor', capacity: 0 });
  return connectAgent(gw.url, s.token);
}

describe('pickup clock', () => {
  it('warns, then breaches at its deadline, raises priority and tells the customer where they stand', async () => {
    const desk = await createDesk(gw, { sla: { pickupTargetMs: 1500 } });
    const { inbox } = desk;
    const sup = await supervisor(desk);
    const session = await openVisitorSession(gw.url, inbox.key);
    const visitor = await connectVisitor(gw.url, session.token);

    const warning = nextEvent<SlaAlertView>(sup, 'sla:warning', (a) => a.clock === 'pickup');
    const breach = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'pickup');
    const told = nextEvent<MessageView>(visitor, 'message', (m) => m.automatic);
    await call(visitor, 'message:send', { clientId: 'p-1', text: 'anyone there?' });

    const w = await warning;
    const b = await breach;
    const lateness = new Date(b.at).getTime() - new Date(b.dueAt).getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThanOrEqual(1000);
    expect(new Date(w.at).getTime()).toBeLessThan(new Date(b.dueAt).getTime());

    const conv = await gw.models.Conversation.findById(b.conversationId).lean();
    expect(conv?.priority).toBe(2);
    expect(conv?.clocks?.pickup?.breachedAt).not.toBeNull();
    // No agent of the inbox's team is online: no place in line is promised, the reply will come here.
    expect((await told).text).toMatch(/No one is available to chat right now.*reply here/);
    const breaches = await gw.models.ConversationEvent.countDocuments({
      conversationId: b.conversationId,
      type: 'sla.breached',
    });
    expect(breaches).toBe(1);
    const m = await gw.models.SlaMeasurement.findOne({
      conversationId: b.conversationId,
      clock: 'pickup',
    }).lean();
    expect(m?.met).toBe(false);
    visitor.close();
    sup.close();
  });

  it('does not breach a conversation picked up before the deadline', async () => {
    const desk = await createDesk(gw, { sla: { pickupTargetMs: 1200 } });
    const inbox = desk.inbox;
    const agent = await desk.agent();
    const a = await connectAgent(gw.url, agent.token);
    const offer = nextEvent<OfferView>(a, 'offer');
    await call(a, 'presence:set', { presence: 'online' });
    const session = await openVisitorSession(gw.url, inbox.key);
    const visitor = await connectVisitor(gw.url, session.token);
    await call(visitor, 'message:send', { clientId: 'q-1', text: 'hi' });
    const o = await offer;
    await call(a, 'offer:accept', { conversationId: o.conversation.id });
    // Once the old deadline has passed, a sweep finds nothing to breach.
    const dueAt = new Date(o.conversation.pickupClock!.dueAt).getTime();
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now() + 50)));
    await gw.app.sla.sweep();
    expect(
      await gw.models.ConversationEvent.countDocuments({
        conversationId: o.conversation.id,
        type: 'sla.breached',
        'data.clock': 'pickup',
      }),
    ).toBe(0);
    const m = await gw.models.SlaMeasurement.findOne({
      conversationId: o.conversation.id,
      clock: 'pickup',
    }).lean();
    expect(m?.met).toBe(true);
    await call(a, 'presence:set', { presence: 'offline' });
    visitor.close();
    a.close();
  });
});

describe('reply clock', () => {
  it('breaches 20-second-style targets at the deadline and returns the conversation to the queue after repeated breaches', async () => {
    const desk = await createDesk(gw, { sla: { replyTargetMs: 1000, pickupTargetMs: 60_000 } });
    const inbox = desk.inbox;
    const agent = await desk.agent();
    const a = await connectAgent(gw.url, agent.token);
    await call(a, 'presence:set', { presence: 'online' });
    const session = await openVisitorSession(gw.url, inbox.key);
    const visitor = await connectVisitor(gw.url, session.token);

    const offer = nextEvent<OfferView>(a, 'offer');
    await call(visitor, 'message:send', { clientId: 'r-1', text: 'question one' });
    const o = await offer;
    const first = nextEvent<SlaAlertView>(a, 'sla:breach', (x) => x.clock === 'reply');
    const accepted = await call<ConversationView>(a, 'offer:accept', { conversationId: o.conversation.id });
    expect(accepted.replyClock).not.toBeNull();
    const b1 = await first;
    const late1 = new Date(b1.at).getTime() - new Date(b1.dueAt).getTime();
    expect(late1).toBeGreaterThanOrEqual(0);
    expect(late1).toBeLessThanOrEqual(1000);

    // The agent answers late; the clock stops (missed), the next message starts a new one.
    await call(a, 'message:send', {
      conversationId: o.conversation.id,
      clientId: 'ra-1',
      text: 'sorry, here',
    });
    const stopped = await gw.models.Conversation.findById(o.conversation.id).lean();
    expect(stopped?.clocks?.reply).toBeNull();

    const returned = nextEvent<{ conversationId: string; reason: string }>(
      a,
      'offer:revoked',
      (r) => r.conversationId === o.conversation.id,
    );
    await call(visitor, 'message:send', { clientId: 'r-2', text: 'question two' });
    expect((await returned).reason).toBe('returned');
    const conv = await gw.models.Conversation.findById(o.conversation.id).lean();
    const queuedAgain = await gw.models.ConversationEvent.findOne({
      conversationId: o.conversation.id,
      type: 'conversation.returned',
    }).lean();
    expect(queuedAgain).not.toBeNull();
    expect(conv?.replyBreaches).toBe(2);
    const events = await gw.models.ConversationEvent.find({
      conversationId: o.conversation.id,
      type: { $in: ['sla.breached', 'conversation.returned'] },
    }).lean();
    expect(events.filter((e) => e.type === 'sla.breached')).toHaveLength(2);
    expect(events.find((e) => e.type === 'conversation.returned')?.data).toMatchObject({
      reason: 'reply_breaches',
    });
    const pickups = await gw.models.ConversationEvent.countDocuments({
      conversationId: o.conversation.id,
      type: 'sla.pickup_started',
    });
    expect(pickups).toBe(2);
    await call(a, 'presence:set', { presence: 'offline' });
    visitor.close();
    a.close();
  });

  it('is not stopped by a private note', async () => {
    const desk = await createDesk(gw, { sla: { replyTargetMs: 60_000 } });
    const inbox = desk.inbox;
    const agent = await desk.agent();
    const a = await connectAgent(gw.url, agent.token);
    const session = await openVisitorSession(gw.url, inbox.key);
    const visitor = await connectVisitor(gw.url, session.token);
    const sent = await call<MessageView>(visitor, 'message:send', { clientId: 'n-1', text: 'hello' });
    await call(a, 'conversation:take', { conversationId: sent.conversationId });
    await call(a, 'message:send', {
      conversationId: sent.conversationId,
      clientId: 'note-1',
      text: 'VIP, be nice',
      private: true,
    });
    const conv = await eventually(
      () => gw.models.Conversation.findById(sent.conversationId).lean(),
      (c) => c !== null,
    );
    expect(conv?.clocks?.reply).not.toBeNull();
    visitor.close();
    a.close();
  });
});
