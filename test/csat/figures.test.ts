/**
 * CSAT figures: the report's CSAT % and response rate per group equal the same figures
 * recomputed independently from the timeline (csat.requested, then the last of
 * csat.answered / csat.changed per survey).
 */
import type { FigureRow as Row } from '../../server/csat/figures';
import type { MessageView, SurveyView } from '../../shared/protocol';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';
import { takeAndResolve } from './steps';

const gw = suiteGateway();

async function survey(inboxKey: string, agentToken: string, rating: number | null, change?: number) {
  const agent = await connectAgent(gw.url, agentToken);
  const visitor = await connectVisitor(gw.url, (await openVisitorSession(gw.url, inboxKey)).token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: 'q', text: 'Question' });
  const asked = nextEvent<SurveyView>(visitor, 'survey:request');
  await takeAndResolve(agent, m.conversationId);
  const s = await asked;
  if (rating !== null) await call(visitor, 'survey:answer', { surveyId: s.surveyId, rating });
  if (change !== undefined) await call(visitor, 'survey:answer', { surveyId: s.surveyId, rating: change });
  visitor.close();
  agent.close();
}

/** The figures from the timeline alone. */
async function fromTimeline(groupOf: (data: Record<string, unknown>) => string | null) {
  const events = await gw.models.ConversationEvent.find({ type: /^csat\./ })
    .sort({ at: 1, _id: 1 })
    .lean();
  const surveys = new Map<string, { group: string | null; rating: number | null }>();
  for (const e of events) {
    const id = String(e.data.surveyId);
    if (e.type === 'csat.requested') surveys.set(id, { group: groupOf(e.data), rating: null });
    const s = surveys.get(id);
    if (!s) continue;
    if (e.type === 'csat.answered') s.rating = Number(e.data.rating);
    if (e.type === 'csat.changed') s.rating = Number((e.data.new as { rating: number }).rating);
  }
  const out = new Map<string | null, { asked: number; answers: number; satisfied: number }>();
  for (const s of surveys.values()) {
    const g = out.get(s.group) ?? { asked: 0, answers: 0, satisfied: 0 };
    g.asked += 1;
    if (s.rating !== null) g.answers += 1;
    if (s.rating !== null && s.rating >= 4) g.satisfied += 1;
    out.set(s.group, g);
  }
  return out;
}

describe('CSAT figures', () => {
  it('match a recomputation from the timeline, by agent and by channel', async () => {
    const desk = await createDesk(gw);
    const ana = await desk.agent({ name: 'Ana' });
    const bo = await desk.agent({ name: 'Bo' });
    await survey(desk.inbox.key, ana.token, 5);
    await survey(desk.inbox.key, ana.token, 4);
    await survey(desk.inbox.key, ana.token, 2, 5); // changed their mind: satisfied after all
    await survey(desk.inbox.key, ana.token, null);
    await survey(desk.inbox.key, bo.token, 1);
    await survey(desk.inbox.key, bo.token, 3);

    const supervisor = await createAgent(gw, { role: 'supervisor' });
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const report = await api<{ rows: Row[]; total: Row }>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/csat?from=${from}&to=${to}&groupBy=agent`,
    );
    expect(report.status).toBe(200);
    const expected = await fromTimeline((d) => (d.agentId as string | null) ?? null);
    expect(report.body.rows).toHaveLength(expected.size);
    for (const row of report.body.rows) {
      const e = expected.get(row.group);
      expect(e).toBeDefined();
      expect({ asked: row.asked, answers: row.answers, satisfied: row.satisfied }).toEqual(e);
      expect(row.csatPct).toBeCloseTo(e && e.answers ? (100 * e.satisfied) / e.answers : NaN, 1);
      expect(row.responseRatePct).toBeCloseTo(e ? (100 * e.answers) / e.asked : NaN, 1);
    }
    const anaRow = report.body.rows.find((r) => r.group === ana.id);
    expect(anaRow).toMatchObject({ asked: 4, answers: 3, satisfied: 3, csatPct: 100, responseRatePct: 75 });
    expect(report.body.total).toMatchObject({ asked: 6, answers: 5, satisfied: 3, csatPct: 60 });

    const byDay = await api<{ rows: Row[] }>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/csat?from=${from}&to=${to}&groupBy=channel&interval=day`,
    );
    expect(byDay.body.rows).toEqual([
      expect.objectContaining({
        group: 'webchat',
        period: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        asked: 6,
      }),
    ]);
  });

  it('is for supervisors, and checks its parameters', async () => {
    const agent = await createAgent(gw, { role: 'agent' });
    const supervisor = await createAgent(gw, { role: 'supervisor' });
    const q = '/reports/csat?from=2024-01-01&to=2024-02-01&groupBy=team';
    expect((await api(gw.url, agent.token, 'GET', q)).status).toBe(403);
    expect((await api(gw.url, supervisor.token, 'GET', q)).status).toBe(200);
    expect((await api(gw.url, supervisor.token, 'GET', `${q}&interval=week`)).status).toBe(400);
    expect(
      (await api(gw.url, supervisor.token, 'GET', '/reports/csat?from=2024-02-01&to=2024-01-01')).status,
    ).toBe(400);
  });
});
