/**
 * The clocks beyond pickup and reply: resolution breaches once, escalation moves a
 * conversation to the second line exactly once (from either of two gateways) or on an
 * agent's request, and a change of policy moves running deadlines.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView, SlaAlertView } from '../../shared/protocol';
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
  startGateway,
  suiteGateway,
  type TestGateway,
} from '../harness/gateway';

const gw = suiteGateway();

async function tieredDesk(withSecondLine = true) {
  const desk = await createDesk(gw, { sla: { pickupTargetMs: 60_000, replyTargetMs: 60_000 } });
  const second = await gw.models.Team.create({ name: `second-${randomUUID().slice(0, 8)}`, tier: 'second' });
  if (withSecondLine)
    await gw.models.Inbox.updateOne({ _id: desk.inbox._id }, { $set: { secondLineTeamId: second._id } });
  return { ...desk, second };
}

async function rule(
  inboxId: unknown,
  targets: Record<string, { ms: number; businessHours?: boolean }>,
  match = {},
) {
  const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
  const res = await api(gw.url, admin.token, 'POST', '/policies', {
    name: `rule-${randomUUID().slice(0, 6)}`,
    order: 1,
    match: { inboxIds: [String(inboxId)], ...match },
    targets,
  });
  expect(res.status).toBe(201);
}

async function visitorWrites(inboxKey: string, text = 'hello') {
  const session = await openVisitorSession(gw.url, inboxKey);
  const visitor = await connectVisitor(gw.url, session.token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text });
  return { visitor, conversationId: m.conversationId };
}

const count = (conversationId: string, type: string, extra: Record<string, unknown> = {}) =>
  gw.models.ConversationEvent.countDocuments({ conversationId, type, ...extra });

/** A supervisor of the desk's teams (both lines): supervisors are alerted about their teams' conversations. */
async function supervisor(desk: Awaited<ReturnType<typeof tieredDesk>>, g: TestGateway = gw) {
  const teamIds = [String(desk.team._id), String(desk.second._id)];
  const s = await createAgent(g, { role: 'supervisor', capacity: 0, teamIds });
  return connectAgent(g.url, s.token);
}

describe('resolution clock', () => {
  it('runs from opening to resolution and breaches once at its deadline', async () => {
    const desk = await tieredDesk();
    await rule(desk.inbox._id, { resolution: { ms: 1200 } });
    const sup = await supervisor(desk);
    const breach = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'resolution');
    const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
    const b = await breach;
    expect(b.conversationId).toBe(conversationId);
    expect(new Date(b.at).getTime() - new Date(b.dueAt).getTime()).toBeLessThanOrEqual(1000);
    await gw.app.sla.sweep();
    expect(await count(conversationId, 'sla.breached', { 'data.clock': 'resolution' })).toBe(1);
    const m = await gw.models.SlaMeasurement.find({ conversationId, clock: 'resolution' }).lean();
    expect(m.map((x) => x.met)).toEqual([false]);
    const applied = await gw.models.ConversationEvent.findOne({
      conversationId,
      type: 'sla.policy_applied',
    }).lean();
    expect(applied?.data).toMatchObject({ clocks: { resolution: { ms: 1200, businessHours: false } } });
    visitor.close();
    sup.close();
  });
});

describe('escalation clock', () => {
  it('moves the conversation to the second line exactly once when it breaches, with two gateways sweeping', async () => {
    const other = await startGateway({ dbName: gw.dbName });
    try {
      const desk = await tieredDesk();
      await rule(desk.inbox._id, { escalation: { ms: 1000 } });
      const sup = await supervisor(desk, other);
      const breach = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'escalation');
      const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
      const told = nextEvent<MessageView>(visitor, 'message', (m) => m.automatic);
      expect((await breach).conversationId).toBe(conversationId);
      expect((await told).text).toMatch(/specialist team/);
      const conv = await eventually(
        () => gw.models.Conversation.findById(conversationId).lean(),
        (c) => String(c?.teamId) === String(desk.second._id),
      );
      expect(conv).toMatchObject({ status: 'queued' });
      expect(conv?.clocks?.escalation ?? null).toBeNull();
      expect(conv?.clocks?.pickup).toBeTruthy();
      await Promise.all([gw.app.sla.sweep(), other.app.sla.sweep()]);
      expect(await count(conversationId, 'conversation.escalated')).toBe(1);
      expect(await count(conversationId, 'sla.breached', { 'data.clock': 'escalation' })).toBe(1);
      expect(await gw.models.Message.countDocuments({ conversationId, automatic: true })).toBe(1);
      visitor.close();
      sup.close();
    } finally {
      await other.close();
    }
  });

  it('records the breach and alerts, moving nothing, when the inbox has no second line', async () => {
    const desk = await tieredDesk(false);
    await rule(desk.inbox._id, { escalation: { ms: 800 } });
    const sup = await supervisor(desk);
    const breach = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'escalation');
    const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
    await breach;
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    expect(String(conv?.teamId)).toBe(String(desk.team._id));
    expect(await count(conversationId, 'conversation.escalated')).toBe(0);
    visitor.close();
    sup.close();
  });
});

describe('an agent escalates', () => {
  it('hands the conversation to the second line once; only the agent holding it may', async () => {
    const desk = await tieredDesk();
    const agent = await desk.agent();
    const other = await desk.agent();
    const a = await connectAgent(gw.url, agent.token);
    const b = await connectAgent(gw.url, other.token);
    const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
    await call(a, 'conversation:take', { conversationId });
    const refused = await callRaw(b, 'conversation:escalate', { conversationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_assigned_to_you' } });
    const revoked = nextEvent<{ reason: string }>(a, 'offer:revoked');
    const escalated = await call<ConversationView>(a, 'conversation:escalate', {
      conversationId,
      note: 'billing',
    });
    expect(escalated).toMatchObject({ status: 'queued', teamId: String(desk.second._id), assigneeId: null });
    expect((await revoked).reason).toBe('returned');
    // The conversation now belongs to the second line, outside the agent's team.
    expect(await callRaw(a, 'conversation:escalate', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const sup = await supervisor(desk);
    const again = await callRaw(sup, 'conversation:escalate', { conversationId });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_escalated' } });
    sup.close();
    const ev = await gw.models.ConversationEvent.findOne({
      conversationId,
      type: 'conversation.escalated',
    }).lean();
    expect(ev?.data).toMatchObject({ reason: 'agent', note: 'billing' });
    expect(ev?.actor.id && String(ev.actor.id)).toBe(agent.id);
    visitor.close();
    a.close();
    b.close();
  });

  it('is refused over REST when the inbox has no second line', async () => {
    const desk = await tieredDesk(false);
    const sup = await createAgent(gw, { role: 'supervisor', teamIds: [String(desk.team._id)] });
    const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
    const res = await api<{ error: { code: string } }>(
      gw.url,
      sup.token,
      'POST',
      `/conversations/${conversationId}/escalate`,
      {},
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('no_second_line');
    visitor.close();
  });
});

describe('re-targeting', () => {
  it('moves a running deadline when the priority changes, keeping the start, and breaches once if already past', async () => {
    const desk = await tieredDesk();
    await rule(desk.inbox._id, { resolution: { ms: 1 } }, { priorities: [3] });
    const { visitor, conversationId } = await visitorWrites(desk.inbox.key);
    const before = await gw.models.Conversation.findById(conversationId).lean();
    const started = before?.clocks?.resolution;
    expect(started?.targetMs).toBe(24 * 3600_000);
    await gw.models.Conversation.updateOne({ _id: conversationId }, { $set: { priority: 3 } });
    await gw.app.sla.retarget(conversationId, 'priority');
    const after = await gw.models.Conversation.findById(conversationId).lean();
    expect(after?.clocks?.resolution).toMatchObject({ startedAt: started?.startedAt, targetMs: 1 });
    expect(after?.clocks?.resolution?.breachedAt).toBeInstanceOf(Date);
    const re = await gw.models.ConversationEvent.findOne({ conversationId, type: 'sla.retargeted' }).lean();
    expect(re?.data).toMatchObject({
      clock: 'resolution',
      reason: 'priority',
      fromMs: 24 * 3600_000,
      toMs: 1,
    });
    await gw.app.sla.retarget(conversationId, 'priority');
    await gw.app.sla.sweep();
    expect(await count(conversationId, 'sla.breached', { 'data.clock': 'resolution' })).toBe(1);
    expect(await count(conversationId, 'sla.retargeted')).toBe(1);
    visitor.close();
  });
});
