/**
 * Drawing conversations for inspection: from seeded history with a fixed seed, each
 * agent's week gets its share (the conversations ranked first by the seeded hash), plus
 * every breached and every low-rated one; drawing again draws nothing twice; a low rating
 * given after a real resolution draws that conversation at once.
 */
import { DateTime } from 'luxon';
import type { MessageView, SurveyView } from '../../shared/protocol';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';
import { takeAndResolve } from '../csat/steps';
import { drawSince, rankOf, resolvedConversation, type Seeded } from './seed';

const SEED = 'fixed-seed-for-tests';
const gw = suiteGateway({
  env: { QUALITY_SAMPLE_SHARE: '0.25', QUALITY_SAMPLE_SEED: SEED, DEFAULT_TIME_ZONE: 'Asia/Shanghai' },
});

/** Monday 10:00 in Shanghai, `weeksAgo` weeks before this week, plus `hours`. */
const monday = (weeksAgo: number, hours = 0) =>
  DateTime.now()
    .setZone('Asia/Shanghai')
    .startOf('week')
    .minus({ weeks: weeksAgo })
    .plus({ hours: 10 + hours })
    .toJSDate();

describe('the draw of conversations to inspect', () => {
  let supervisor: { token: string };
  const seeded: Seeded[] = [];
  const breached = new Set<string>();
  const lowRated = new Set<string>();
  let early: Seeded;

  beforeAll(async () => {
    const desk = await createDesk(gw);
    supervisor = await desk.agent({ role: 'supervisor' });
    const ana = await desk.agent({ name: 'Ana' });
    const ben = await desk.agent({ name: 'Ben' });
    const seed = async (agentId: string, at: Date, extra: { breached?: boolean; rating?: number } = {}) => {
      const s = await resolvedConversation(gw.models, {
        inboxId: desk.inbox._id,
        agentId,
        teamId: desk.team._id,
        resolvedAt: at,
        ...extra,
      });
      seeded.push(s);
      if (extra.breached) breached.add(s.id);
      if (extra.rating !== undefined && extra.rating <= 2) lowRated.add(s.id);
      return s;
    };
    // Ana, three weeks ago: 8 conversations (one breached, one rated 1, one rated 3).
    for (let i = 0; i < 8; i++)
      await seed(
        ana.id,
        monday(3, i),
        i === 2 ? { breached: true } : i === 5 ? { rating: 1 } : i === 6 ? { rating: 3 } : {},
      );
    // Ana, two weeks ago: 4; Ben, three weeks ago: 3 (one rated 2).
    for (let i = 0; i < 4; i++) await seed(ana.id, monday(2, i));
    for (let i = 0; i < 3; i++) await seed(ben.id, monday(3, i), i === 1 ? { rating: 2 } : {});
    // Resolved before the draw's range: never drawn.
    early = await resolvedConversation(gw.models, {
      inboxId: desk.inbox._id,
      agentId: ana.id,
      resolvedAt: monday(6),
      breached: true,
    });
  });

  it('draws the share of each agent per week and every breached or low-rated conversation', async () => {
    const res = await drawSince(gw.url, supervisor.token, monday(4));
    expect(res.status).toBe(200);

    // The expectation, worked out here: ⌈25 % × n⌉ of each agent's week by lowest rank.
    const groups = new Map<string, Seeded[]>();
    for (const s of seeded) {
      const week = DateTime.fromJSDate(s.resolvedAt).setZone('Asia/Shanghai').toFormat("kkkk-'W'WW");
      groups.set(`${s.agentId}:${week}`, [...(groups.get(`${s.agentId}:${week}`) ?? []), s]);
    }
    const share = new Set<string>();
    for (const list of groups.values()) {
      const ranked = [...list].sort((a, b) => rankOf(SEED, a.id) - rankOf(SEED, b.id));
      for (const s of ranked.slice(0, Math.ceil(0.25 * list.length))) share.add(s.id);
    }
    expect([...groups.values()].map((l) => l.length).sort()).toEqual([3, 4, 8]);
    expect(share.size).toBe(2 + 1 + 1);

    const samples = await gw.models.QualitySample.find({}).lean();
    const expected = new Set([...share, ...breached, ...lowRated]);
    expect(new Set(samples.map((s) => String(s.conversationId)))).toEqual(expected);
    expect(res.body.drawn).toBe(expected.size);
    for (const s of samples) {
      const id = String(s.conversationId);
      const reasons = [
        share.has(id) && 'share',
        breached.has(id) && 'breached',
        lowRated.has(id) && 'low_rating',
      ];
      expect([...s.reasons].sort()).toEqual(reasons.filter((r): r is string => r !== false).sort());
    }
    expect(samples.some((s) => String(s.conversationId) === early.id)).toBe(false);
    // Each drawn conversation's timeline says so, once.
    const events = await gw.models.ConversationEvent.find({ type: 'quality.sampled' }).lean();
    expect(events.map((e) => String(e.conversationId)).sort()).toEqual([...expected].sort());
  });

  it('draws nothing twice when drawn again', async () => {
    const before = await gw.models.QualitySample.countDocuments({});
    const again = await drawSince(gw.url, supervisor.token, monday(4));
    expect(again.body).toMatchObject({ drawn: 0 });
    expect(await gw.models.QualitySample.countDocuments({})).toBe(before);
    expect(await gw.models.ConversationEvent.countDocuments({ type: 'quality.sampled' })).toBe(before);
  });

  it('lists the drawn conversations as the inspection queue, oldest first', async () => {
    const q = await api<{ samples: { conversationId: string; resolvedAt: string; status: string }[] }>(
      gw.url,
      supervisor.token,
      'GET',
      '/quality/samples?status=pending&limit=200',
    );
    expect(q.status).toBe(200);
    expect(q.body.samples).toHaveLength(await gw.models.QualitySample.countDocuments({}));
    const times = q.body.samples.map((s) => Date.parse(s.resolvedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('refuses a draw from the future or by an agent', async () => {
    const future = await drawSince(gw.url, supervisor.token, new Date(Date.now() + 86_400_000));
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('since');
    const agent = await createAgent(gw);
    expect((await drawSince(gw.url, agent.token, monday(4))).status).toBe(403);
    const bad = await api(gw.url, supervisor.token, 'POST', '/quality/samples/draw', { since: 'yesterday' });
    expect(bad.status).toBe(400);
  });

  it('draws a conversation the customer rates 2 or lower after it was resolved', async () => {
    const desk = await createDesk(gw);
    const carla = await desk.agent();
    const agent = await connectAgent(gw.url, carla.token);
    const visitor = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
    const m = await call<MessageView>(visitor, 'message:send', {
      clientId: 'q1',
      text: 'Where is my refund?',
    });
    const asked = nextEvent<SurveyView>(visitor, 'survey:request');
    await takeAndResolve(agent, m.conversationId);
    const survey = await asked;
    expect(await gw.models.QualitySample.exists({ conversationId: m.conversationId })).toBeNull();
    await call(visitor, 'survey:answer', { surveyId: survey.surveyId, rating: 1 });
    const sample = await eventually(
      () => gw.models.QualitySample.findOne({ conversationId: m.conversationId }).lean(),
      (s) => s !== null,
    );
    expect(sample?.reasons).toEqual(['low_rating']);
    expect(String(sample?.agentId)).toBe(carla.id);
    visitor.close();
    agent.close();
  });
});
