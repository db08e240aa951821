/** Steps the report suites share: a day of service seeded through the gateway, and the figures recomputed from the timeline. */
import { randomUUID } from 'node:crypto';
import type {
  ComplaintView,
  FollowUpView,
  MessageView,
  SlaAlertView,
  SurveyView,
} from '../../shared/protocol';
import type { ConversationEventDoc } from '../../server/domain/event';
import { CLOCK_KINDS } from '../../server/domain/types';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';

export async function visitorWrites(gw: TestGateway, inboxKey: string, text: string) {
  const visitor = await connectVisitor(gw.url, (await openVisitorSession(gw.url, inboxKey)).token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text });
  return {
    visitor,
    conversationId: m.conversationId,
    send: (t: string) => call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text: t }),
  };
}

const reply = (agent: AgentClient, conversationId: string, text: string) =>
  call<MessageView>(agent, 'message:send', { conversationId, clientId: randomUUID(), text });

/** Waits for the report row of each resolution the conversation has had. */
async function resolutionsWritten(gw: TestGateway, conversationId: string) {
  const resolved = await gw.models.ConversationEvent.countDocuments({
    conversationId,
    type: 'conversation.resolved',
  });
  await eventually(
    () => gw.models.Resolution.countDocuments({ conversationId }),
    (n) => n === resolved,
  );
}

async function resolve(gw: TestGateway, agent: AgentClient, conversationId: string) {
  await call(agent, 'conversation:resolve', { conversationId });
  await resolutionsWritten(gw, conversationId);
}

/**
 * A small day of service on one desk with a 1.5 s reply target: Ana answers one customer
 * quickly (rated 5), misses the reply target for another (rated 2, after a breach), Bo
 * resolves and reopens one, handles a complaint to its follow-up, and completes a manual
 * follow-up late.
 */
export async function seedDay(gw: TestGateway) {
  const d = await createDesk(gw, { sla: { pickupTargetMs: 60_000, replyTargetMs: 1500 } });
  const ana = await d.agent({ name: 'Ana' });
  const bo = await d.agent({ name: 'Bo' });
  const a = await connectAgent(gw.url, ana.token);
  const b = await connectAgent(gw.url, bo.token);
  const rate = async (v: Awaited<ReturnType<typeof visitorWrites>>, rating: number | null) => {
    const asked = nextEvent<SurveyView>(v.visitor, 'survey:request');
    return async () => {
      const s = await asked;
      if (rating !== null) await call(v.visitor, 'survey:answer', { surveyId: s.surveyId, rating });
    };
  };

  // 1. Quick and satisfied.
  const one = await visitorWrites(gw, d.inbox.key, 'Is the blue kettle in stock?');
  await call(a, 'conversation:take', { conversationId: one.conversationId });
  await reply(a, one.conversationId, 'Yes, it ships today.');
  const rateOne = await rate(one, 5);
  await resolve(gw, a, one.conversationId);
  await rateOne();

  // 2. A reply breach, then an unhappy customer.
  const two = await visitorWrites(gw, d.inbox.key, 'My order is late');
  await call(a, 'conversation:take', { conversationId: two.conversationId });
  const breach = nextEvent<SlaAlertView>(a, 'sla:breach', (x) => x.conversationId === two.conversationId);
  await two.send('Hello?');
  await breach;
  await reply(a, two.conversationId, 'Sorry, checking now.');
  const rateTwo = await rate(two, 2);
  await resolve(gw, a, two.conversationId);
  await rateTwo();

  // 3. Resolved, reopened, resolved again: the second resolution is not first contact.
  const three = await visitorWrites(gw, d.inbox.key, 'How do I reset the timer?');
  await call(b, 'conversation:take', { conversationId: three.conversationId });
  await reply(b, three.conversationId, 'Hold the button for five seconds.');
  await resolve(gw, b, three.conversationId);
  await call(b, 'conversation:reopen', { conversationId: three.conversationId });
  await reply(b, three.conversationId, 'Did that work?');
  await resolve(gw, b, three.conversationId);

  // 4. A complaint: acknowledged by the solution, followed up, resolved.
  const four = await visitorWrites(gw, d.inbox.key, 'I want to make a complaint about the courier');
  await call(b, 'conversation:take', { conversationId: four.conversationId });
  await call<ComplaintView>(b, 'complaint:solution', {
    conversationId: four.conversationId,
    text: 'We send a new one by express.',
  });
  const task = await eventually(
    () => gw.models.FollowUpTask.findOne({ conversationId: four.conversationId, reason: 'complaint' }).lean(),
    (t) => t !== null,
  );
  const done = await api<{ followup: FollowUpView }>(
    gw.url,
    bo.token,
    'POST',
    `/followups/${String(task?._id)}/complete`,
    {
      reached: true,
      satisfied: true,
      note: 'Arrived fine.',
    },
  );
  expect(done.status).toBe(200);
  await resolve(gw, b, four.conversationId);

  // 5. A manual follow-up done after its due time.
  const conv = await gw.models.Conversation.findById(one.conversationId).lean();
  const late = await api<{ followup: FollowUpView }>(gw.url, ana.token, 'POST', '/followups', {
    contactId: String(conv?.contactId),
    conversationId: one.conversationId,
    dueAt: new Date(Date.now() + 800).toISOString(),
    note: 'Check the kettle arrived',
  });
  expect(late.status).toBe(201);
  await eventually(
    () => gw.models.FollowUpTask.findById(late.body.followup.id).lean(),
    (t) => Boolean(t?.clock.breachedAt),
    10_000,
  );
  expect(
    (
      await api(gw.url, ana.token, 'POST', `/followups/${late.body.followup.id}/complete`, {
        reached: true,
        satisfied: true,
        note: '',
      })
    ).status,
  ).toBe(200);

  for (const x of [one, two, three, four]) x.visitor.close();
  a.close();
  b.close();
  return { desk: d, ana, bo, conversations: [one, two, three, four].map((x) => x.conversationId) };
}

type Ev = ConversationEventDoc;
type Counted = { total: number; met: number };

/**
 * The figures from the timeline alone, grouped by `groupOf` of the responsible agent:
 * the agent who stopped a clock (or held the conversation when it breached), who the
 * survey was asked for, who resolved, who completed a follow-up.
 */
export async function fromTimeline(gw: TestGateway, conversationIds: string[]) {
  const events = await gw.models.ConversationEvent.find({ conversationId: { $in: conversationIds } })
    .sort({ at: 1, _id: 1 })
    .lean<Ev[]>();
  const byAgent = new Map<string | null, Recomputed>();
  const at = (agent: string | null) => {
    const r = byAgent.get(agent) ?? blank();
    byAgent.set(agent, r);
    return r;
  };
  const perConv = new Map<string, Ev[]>();
  for (const e of events)
    perConv.set(String(e.conversationId), [...(perConv.get(String(e.conversationId)) ?? []), e]);
  for (const list of perConv.values()) {
    let holder: string | null = null;
    let openedAt: number | null = null;
    let interrupted = false;
    const breached = new Set<string>();
    const surveys = new Map<string, { agent: string | null; rating: number | null }>();
    for (const e of list) {
      const actor = e.actor.type === 'agent' && e.actor.id ? String(e.actor.id) : null;
      const t = new Date(e.at).getTime();
      if (
        e.type === 'conversation.taken' ||
        e.type === 'conversation.accepted' ||
        e.type === 'conversation.reopened'
      )
        holder = actor;
      if (e.type === 'conversation.returned') holder = null;
      if (e.type === 'conversation.opened' || e.type === 'conversation.reopened') openedAt = t;
      if (
        [
          'conversation.reopened',
          'conversation.transferred',
          'conversation.returned',
          'conversation.escalated',
        ].includes(e.type)
      )
        interrupted = true;
      const kind = CLOCK_KINDS.find((k) => e.type === `sla.${k}_started` || e.type === `sla.${k}_stopped`);
      if (kind && e.type.endsWith('_started')) breached.delete(kind);
      if (e.type === 'sla.breached') {
        const k = String(e.data.clock);
        breached.add(k);
        at(holder).clocks[k] = add(at(holder).clocks[k], false);
      }
      if (kind && e.type.endsWith('_stopped') && e.data.measured === true && !breached.has(kind)) {
        const who = actor ?? holder;
        at(who).clocks[kind] = add(at(who).clocks[kind], e.data.met === true, Number(e.data.elapsedMs));
      }
      if (e.type === 'conversation.resolved') {
        const r = at(holder ?? actor);
        r.resolved += 1;
        if (!interrupted) r.firstContact += 1;
        r.handleMs += t - (openedAt ?? t);
      }
      if (e.type === 'csat.requested')
        surveys.set(String(e.data.surveyId), {
          agent: (e.data.agentId as string | null) ?? null,
          rating: null,
        });
      if (e.type === 'csat.answered') {
        const s = surveys.get(String(e.data.surveyId));
        if (s) s.rating = Number(e.data.rating);
      }
      if (e.type === 'followup.completed') {
        const r = at(actor);
        r.followUpsDone += 1;
        const overdue = list.some(
          (x) =>
            x.type === 'followup.overdue' && String(x.data.taskId) === String(e.data.taskId) && x.at <= e.at,
        );
        if (!overdue) r.followUpsOnTime += 1;
      }
    }
    for (const s of surveys.values()) {
      const r = at(s.agent);
      r.asked += 1;
      if (s.rating !== null) r.answers += 1;
      if (s.rating !== null && s.rating >= 4) r.satisfied += 1;
    }
  }
  return byAgent;
}

function add(c: (Counted & { ms: number }) | undefined, met: boolean, ms?: number) {
  const x = c ?? { total: 0, met: 0, ms: 0 };
  return { total: x.total + 1, met: x.met + (met ? 1 : 0), ms: x.ms + (ms ?? 0) };
}

export interface Recomputed {
  clocks: Record<string, Counted & { ms: number }>;
  asked: number;
  answers: number;
  satisfied: number;
  resolved: number;
  firstContact: number;
  handleMs: number;
  followUpsDone: number;
  followUpsOnTime: number;
}
const blank = (): Recomputed => ({
  clocks: {},
  asked: 0,
  answers: 0,
  satisfied: 0,
  resolved: 0,
  firstContact: 0,
  handleMs: 0,
  followUpsDone: 0,
  followUpsOnTime: 0,
});
