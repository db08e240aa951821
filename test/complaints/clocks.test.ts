/**
 * Complaints: a conversation that becomes a complaint runs the acknowledgement, solution
 * and follow-up clocks; the solution is recorded, sent to the customer and accepted; a
 * complaint cannot be resolved before acceptance or its follow-up.
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintView, ConversationView, MessageView, SlaAlertView } from '../../shared/protocol';
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
} from '../harness/gateway';

const gw = suiteGateway();
const HOUR = 3600_000;

async function desk(targets: Record<string, { ms: number }> = {}) {
  const d = await createDesk(gw, { sla: { pickupTargetMs: 60_000, replyTargetMs: 60_000 } });
  if (Object.keys(targets).length > 0) {
    const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
    const res = await api(gw.url, admin.token, 'POST', '/policies', {
      name: `complaints-${randomUUID().slice(0, 6)}`,
      order: 1,
      match: { inboxIds: [String(d.inbox._id)] },
      targets,
    });
    expect(res.status).toBe(201);
  }
  const agent = await d.agent();
  const socket = await connectAgent(gw.url, agent.token);
  return { ...d, agent, socket };
}

async function visitorWrites(inboxKey: string, text: string) {
  const session = await openVisitorSession(gw.url, inboxKey);
  const visitor = await connectVisitor(gw.url, session.token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text });
  return {
    visitor,
    conversationId: m.conversationId,
    send: (t: string) => call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text: t }),
  };
}

const conv = (id: string) => gw.models.Conversation.findById(id).lean();
const count = (conversationId: string, type: string, extra: Record<string, unknown> = {}) =>
  gw.models.ConversationEvent.countDocuments({ conversationId, type, ...extra });

describe('complaint clocks', () => {
  it('start when intake classifies a complaint; a note does not acknowledge, a public reply does', async () => {
    const d = await desk();
    const { visitor, conversationId } = await visitorWrites(d.inbox.key, 'I want to make a complaint');
    const c = await conv(conversationId);
    expect(c?.category).toBe('complaint');
    expect(c?.clocks?.complaint_acknowledgement).toMatchObject({ targetMs: HOUR });
    expect(c?.clocks?.complaint_solution).toMatchObject({ targetMs: 48 * HOUR });
    expect(c?.clocks?.complaint_follow_up ?? null).toBeNull();
    expect(await count(conversationId, 'complaint.opened')).toBe(1);

    await call(d.socket, 'conversation:take', { conversationId });
    const base = { conversationId, clientId: randomUUID() };
    await call(d.socket, 'message:send', { ...base, text: 'internal', private: true });
    expect((await conv(conversationId))?.clocks?.complaint_acknowledgement).toBeTruthy();
    await call(d.socket, 'message:send', { ...base, clientId: randomUUID(), text: 'We are on it.' });
    const after = await conv(conversationId);
    expect(after?.clocks?.complaint_acknowledgement ?? null).toBeNull();
    expect(after?.clocks?.complaint_solution).toBeTruthy();
    const m = await gw.models.SlaMeasurement.find({
      conversationId,
      clock: 'complaint_acknowledgement',
    }).lean();
    expect(m.map((x) => x.met)).toEqual([true]);
    visitor.close();
    d.socket.close();
  });

  it('breach once at their deadline and alert supervisors', async () => {
    const d = await desk({ complaint_acknowledgement: { ms: 900 }, complaint_solution: { ms: 1500 } });
    const sup = await connectAgent(
      gw.url,
      (await createAgent(gw, { role: 'supervisor', capacity: 0, teamIds: [String(d.team._id)] })).token,
    );
    const ack = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'complaint_acknowledgement');
    const sol = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'complaint_solution');
    const { visitor, conversationId } = await visitorWrites(d.inbox.key, 'This is unacceptable');
    expect((await ack).conversationId).toBe(conversationId);
    expect((await sol).conversationId).toBe(conversationId);
    await gw.app.sla.sweep();
    expect(await count(conversationId, 'sla.breached', { 'data.clock': 'complaint_acknowledgement' })).toBe(
      1,
    );
    expect(await count(conversationId, 'sla.breached', { 'data.clock': 'complaint_solution' })).toBe(1);
    visitor.close();
    sup.close();
    d.socket.close();
  });

  it('start when an agent makes it a complaint, and stop when the category changes away', async () => {
    const d = await desk();
    const { visitor, conversationId } = await visitorWrites(d.inbox.key, 'Hello there');
    await call(d.socket, 'conversation:take', { conversationId });
    await call(d.socket, 'conversation:classify', { conversationId, category: 'complaint' });
    expect((await conv(conversationId))?.clocks?.complaint_solution).toBeTruthy();
    await call(d.socket, 'conversation:classify', { conversationId, category: 'billing' });
    const c = await conv(conversationId);
    expect(c?.clocks?.complaint_solution ?? null).toBeNull();
    expect(c?.clocks?.complaint_acknowledgement ?? null).toBeNull();
    const stopped = await gw.models.ConversationEvent.find({
      conversationId,
      type: 'sla.complaint_solution_stopped',
    }).lean();
    expect(stopped.map((e) => e.data.measured)).toEqual([false]);
    // Resolving is allowed again: it is no longer a complaint.
    expect((await callRaw(d.socket, 'conversation:resolve', { conversationId })).ok).toBe(true);
    visitor.close();
    d.socket.close();
  });
});

describe('the solution and its acceptance', () => {
  it('sends the solution, refuses to resolve until the customer accepts in the widget, then closes', async () => {
    const d = await desk();
    const { visitor, conversationId } = await visitorWrites(d.inbox.key, 'I complain about the delay');
    await call(d.socket, 'conversation:take', { conversationId });
    const offered = nextEvent<{ messageId: string; text: string }>(visitor, 'complaint:solution');
    const seen = nextEvent<MessageView>(visitor, 'message', (m) => m.text === 'A full refund today.');
    const res = await api<{ complaint: ComplaintView }>(
      gw.url,
      d.agent.token,
      'POST',
      `/conversations/${conversationId}/solution`,
      {
        text: 'A full refund today.',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.complaint).toMatchObject({
      status: 'solution_proposed',
      solution: { text: 'A full refund today.' },
    });
    expect((await offered).text).toBe('A full refund today.');
    await seen;
    const c = await conv(conversationId);
    expect(c?.clocks?.complaint_solution ?? null).toBeNull();
    expect(c?.clocks?.complaint_acknowledgement ?? null).toBeNull();
    expect(c?.clocks?.complaint_follow_up).toMatchObject({ targetMs: 72 * HOUR });
    const recorded = await gw.models.ConversationEvent.findOne({
      conversationId,
      type: 'complaint.solution_recorded',
    }).lean();
    expect(recorded?.data).toMatchObject({ text: 'A full refund today.' });

    const refused = await callRaw(d.socket, 'conversation:resolve', { conversationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'complaint_open' } });

    const accepted = await callRaw<{ conversationId: string }>(visitor, 'complaint:accept', {});
    expect(accepted).toMatchObject({ ok: true, data: { conversationId } });
    const closed = await eventually(
      () => conv(conversationId),
      (x) => x?.status === 'resolved',
    );
    // The follow-up clock runs on: the follow-up comes after the resolution.
    expect(closed?.clocks?.complaint_follow_up).toBeTruthy();
    expect(await count(conversationId, 'complaint.accepted')).toBe(1);
    expect(await count(conversationId, 'complaint.closed')).toBe(1);
    const task = await gw.models.FollowUpTask.findOne({ conversationId, reason: 'complaint' }).lean();
    expect(task?.dueAt.getTime()).toBe(closed?.clocks?.complaint_follow_up?.dueAt.getTime());
    expect(String(task?.ownerAgentId)).toBe(d.agent.id);
    // Accepting again is harmless.
    expect((await callRaw(visitor, 'complaint:accept', {})).ok).toBe(true);
    expect(await count(conversationId, 'complaint.closed')).toBe(1);
    visitor.close();
    d.socket.close();
  });

  it('lets an agent mark a customer reply written after the solution as acceptance', async () => {
    const d = await desk();
    const { visitor, conversationId, send } = await visitorWrites(
      d.inbox.key,
      'terrible service, I complain',
    );
    const early = await send('Still waiting.');
    await call(d.socket, 'conversation:take', { conversationId });
    const path = `/conversations/${conversationId}/solution/accept`;
    expect((await api(gw.url, d.agent.token, 'POST', path, { messageId: early.id })).status).toBe(409);
    const solution = await call<ComplaintView>(d.socket, 'complaint:solution', {
      conversationId,
      text: 'A new device.',
    });
    expect(solution.status).toBe('solution_proposed');
    const tooEarly = await api<{ error: { code: string } }>(gw.url, d.agent.token, 'POST', path, {
      messageId: early.id,
    });
    expect(tooEarly.status).toBe(400);
    const yes = await send('OK, that works for me.');
    const res = await api<{ complaint: ComplaintView }>(gw.url, d.agent.token, 'POST', path, {
      messageId: yes.id,
    });
    expect(res.status).toBe(200);
    expect(res.body.complaint).toMatchObject({
      status: 'closed',
      closedBy: 'accepted',
      accepted: { messageId: yes.id, by: 'agent' },
    });
    expect((await conv(conversationId))?.status).toBe('resolved');
    const view = await call<ConversationView>(d.socket, 'conversation:reopen', { conversationId });
    expect(view.status).toBe('assigned');
    expect((await callRaw(d.socket, 'conversation:resolve', { conversationId })).ok).toBe(true);
    visitor.close();
    d.socket.close();
  });

  it('breaches the follow-up clock once when the follow-up is late', async () => {
    const d = await desk({ complaint_follow_up: { ms: 1200 } });
    const { visitor, conversationId } = await visitorWrites(d.inbox.key, 'complaint: broken on arrival');
    await call(d.socket, 'conversation:take', { conversationId });
    const breach = nextEvent<SlaAlertView>(d.socket, 'sla:breach', (a) => a.clock === 'complaint_follow_up');
    await call(d.socket, 'complaint:solution', { conversationId, text: 'We send a replacement.' });
    expect((await breach).conversationId).toBe(conversationId);
    await gw.app.sla.sweep();
    expect(await count(conversationId, 'sla.breached', { 'data.clock': 'complaint_follow_up' })).toBe(1);
    visitor.close();
    d.socket.close();
  });
});
