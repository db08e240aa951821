/**
 * Follow-up tasks: each rule makes its task once, due when the handbook says, owned by
 * the agent who first served the customer (or their team once that agent is gone);
 * an overdue task alerts once; completing a complaint's task closes the complaint.
 */
import { randomUUID } from 'node:crypto';
import type { FollowUpAlertView, FollowUpView, MessageView, SurveyView } from '../../shared/protocol';
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
const DAY = 24 * 3600_000;

async function desk() {
  const d = await createDesk(gw, { sla: { pickupTargetMs: 60_000, replyTargetMs: 60_000 } });
  const agent = await d.agent();
  const socket = await connectAgent(gw.url, agent.token);
  return { ...d, agent, socket };
}

async function visitor(inboxKey: string) {
  const session = await openVisitorSession(gw.url, inboxKey);
  const socket = await connectVisitor(gw.url, session.token);
  const send = (text: string) => call<MessageView>(socket, 'message:send', { clientId: randomUUID(), text });
  return { socket, send };
}

const tasks = (filter: Record<string, unknown>) => gw.models.FollowUpTask.find(filter).lean();
const near = (a: Date | undefined, b: number, slackMs = 60_000) =>
  a !== undefined && Math.abs(a.getTime() - b) < slackMs;

describe('follow-up rules', () => {
  it("makes one new-customer task when the contact's first conversation is resolved, due in 7 days", async () => {
    const d = await desk();
    const v = await visitor(d.inbox.key);
    const { conversationId } = await v.send('Hi, a question about sizes');
    await call(d.socket, 'conversation:take', { conversationId });
    await call(d.socket, 'conversation:resolve', { conversationId });
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    const made = await eventually(
      () => tasks({ contactId: conv?.contactId, reason: 'new_customer' }),
      (t) => t.length === 1,
    );
    expect(String(made[0]?.ownerAgentId)).toBe(d.agent.id);
    expect(near(made[0]?.dueAt, Date.now() + 7 * DAY)).toBe(true);
    // Resolving again (reopened by the customer, resolved by the agent) makes no second task.
    await v.send('One more thing');
    await call(d.socket, 'conversation:take', { conversationId });
    await call(d.socket, 'conversation:resolve', { conversationId });
    expect(await tasks({ contactId: conv?.contactId, reason: 'new_customer' })).toHaveLength(1);
    v.socket.close();
    d.socket.close();
  });

  it('makes one at-risk task for a low rating, due in 90 days, owned by the team when the agent is gone', async () => {
    const d = await desk();
    const v = await visitor(d.inbox.key);
    const { conversationId } = await v.send('Hello');
    await call(d.socket, 'conversation:take', { conversationId });
    await call(d.socket, 'conversation:resolve', { conversationId });
    await gw.models.Agent.updateOne({ _id: d.agent.id }, { $set: { active: false } });
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    // The customer answers the survey in the widget: 4, then changes it to 2, then to 1.
    const survey = (await eventually(
      () => call<SurveyView | null>(v.socket, 'survey:get', {}),
      (x) => x !== null,
    )) as SurveyView;
    for (const rating of [4, 2, 1])
      await call(v.socket, 'survey:answer', { surveyId: survey.surveyId, rating });
    await eventually(
      () => tasks({ contactId: conv?.contactId, reason: 'at_risk' }),
      (list) => list.length > 0,
    );
    const risk = await tasks({ contactId: conv?.contactId, reason: 'at_risk' });
    expect(risk).toHaveLength(1);
    expect(risk[0]?.ownerAgentId).toBeNull();
    expect(String(risk[0]?.teamId)).toBe(String(d.team._id));
    expect(near(risk[0]?.dueAt, Date.now() + 90 * DAY)).toBe(true);
    v.socket.close();
    d.socket.close();
  });

  it('makes an at-risk task after two reopenings', async () => {
    const d = await desk();
    const v = await visitor(d.inbox.key);
    const { conversationId } = await v.send('Hello');
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    for (let i = 0; i < 3; i++) {
      await call(d.socket, 'conversation:take', { conversationId });
      await call(d.socket, 'conversation:resolve', { conversationId });
      if (i < 2) await v.send(`again ${i}`);
    }
    await eventually(
      () => tasks({ contactId: conv?.contactId, reason: 'at_risk' }),
      (t) => t.length === 1,
    );
    v.socket.close();
    d.socket.close();
  });
});

describe('completing follow-ups', () => {
  it("completes a complaint's task: the follow-up clock stops and the open complaint closes", async () => {
    const d = await desk();
    const v = await visitor(d.inbox.key);
    const { conversationId } = await v.send('I want to complain about the courier');
    await call(d.socket, 'conversation:take', { conversationId });
    await call(d.socket, 'complaint:solution', { conversationId, text: 'We changed courier.' });
    const [task] = await tasks({ conversationId, reason: 'complaint' });
    expect(task).toBeTruthy();
    const list = await api<{ followups: FollowUpView[] }>(
      gw.url,
      d.agent.token,
      'GET',
      '/followups?mine=1&status=open',
    );
    expect(list.body.followups.map((t) => t.id)).toContain(String(task?._id));
    const updated = nextEvent<FollowUpView>(d.socket, 'followup:updated', (t) => t.status === 'done');
    const res = await api<{ followup: FollowUpView }>(
      gw.url,
      d.agent.token,
      'POST',
      `/followups/${String(task?._id)}/complete`,
      {
        reached: true,
        satisfied: true,
        note: 'Happy with the new courier.',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.followup).toMatchObject({ status: 'done', outcome: { reached: true, satisfied: true } });
    await updated;
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    expect(conv?.clocks?.complaint_follow_up ?? null).toBeNull();
    expect(conv?.status).toBe('resolved');
    const m = await gw.models.SlaMeasurement.find({ conversationId, clock: 'complaint_follow_up' }).lean();
    expect(m.map((x) => x.met)).toEqual([true]);
    const complaint = await gw.models.Complaint.findOne({ conversationId }).lean();
    expect(complaint).toMatchObject({ status: 'closed', closedBy: 'follow_up' });
    const again = await api<{ error: { code: string } }>(
      gw.url,
      d.agent.token,
      'POST',
      `/followups/${String(task?._id)}/complete`,
      {
        reached: true,
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('followup_closed');
    v.socket.close();
    d.socket.close();
  });

  it('alerts the owner and supervisors once when a manual task is overdue', async () => {
    const d = await desk();
    const v = await visitor(d.inbox.key);
    const { conversationId } = await v.send('Hello');
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    const sup = await connectAgent(
      gw.url,
      (await createAgent(gw, { role: 'supervisor', capacity: 0, teamIds: [String(d.team._id)] })).token,
    );
    const overdue: FollowUpAlertView[] = [];
    sup.on('followup:overdue', (a: FollowUpAlertView) => overdue.push(a));
    const mine = nextEvent<FollowUpAlertView>(d.socket, 'followup:overdue');
    const res = await api<{ followup: FollowUpView }>(gw.url, d.agent.token, 'POST', '/followups', {
      contactId: String(conv?.contactId),
      conversationId,
      dueAt: new Date(Date.now() + 1200).toISOString(),
      note: 'Call back about the invoice',
    });
    expect(res.status).toBe(201);
    expect(res.body.followup).toMatchObject({ reason: 'manual', ownerAgentId: d.agent.id });
    expect((await mine).task.id).toBe(res.body.followup.id);
    await eventually(
      async () => overdue.length,
      (n) => n >= 1,
    );
    // Timers and sweeps that come later find nothing more to do: a sweep finds it due again.
    await gw.models.FollowUpTask.updateOne(
      { _id: res.body.followup.id },
      { $set: { nextClockAt: new Date() } },
    );
    // The sweep has run over it again once it puts the next point back (none: it is overdue).
    await eventually(
      () => gw.models.FollowUpTask.findById(res.body.followup.id).lean(),
      (t) => t?.nextClockAt === null,
    );
    expect(overdue).toHaveLength(1);
    expect(
      await gw.models.ConversationEvent.countDocuments({ conversationId, type: 'followup.overdue' }),
    ).toBe(1);
    const refused = await callRaw(d.socket, 'conversation:start', {
      contactId: String(conv?.contactId),
      inboxId: String(d.inbox._id),
      text: 'Hello again',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'already_open', conversationId } });
    sup.close();
    v.socket.close();
    d.socket.close();
  });
});
