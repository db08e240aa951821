/**
 * The rubric, scoring and the report through the REST API: bad input is refused with its
 * reason and writes nothing; scores and re-scores are recorded on the timeline; agents
 * see only their own; the report's score and error rate equal a recomputation from the
 * `quality.scored` events alone, in JSON and in CSV.
 */
import { DateTime } from 'luxon';
import type { InspectionView, QualityRowView, RubricView, ScoreView } from '../../shared/quality';
import { api, createAgent, createDesk, suiteGateway } from '../harness/gateway';
import { STANDARD_RUBRIC, drawSince, resolvedConversation, type Seeded } from './seed';

const gw = suiteGateway({ env: { QUALITY_SAMPLE_SHARE: '1', DEFAULT_TIME_ZONE: 'Asia/Shanghai' } });
type Who = { id: string; token: string };

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toJSDate();

describe('quality inspection through the API', () => {
  let admin: Who;
  let sup: Who;
  let ana: Who;
  let ben: Who;
  const convs: Seeded[] = [];
  const sampleOf = new Map<string, string>();
  const expectNothingWritten = async (f: () => Promise<void>) => {
    const counts = async () =>
      Promise.all([
        gw.models.QualityRubric.countDocuments({}),
        gw.models.QualityScore.countDocuments({}),
        gw.models.ConversationEvent.countDocuments({ type: /^quality\.(scored|error)$/ }),
        gw.models.QualitySample.countDocuments({ status: 'scored' }),
      ]);
    const before = await counts();
    await f();
    expect(await counts()).toEqual(before);
  };

  beforeAll(async () => {
    const desk = await createDesk(gw);
    admin = await createAgent(gw, { role: 'admin' });
    sup = await desk.agent({ role: 'supervisor' });
    ana = await desk.agent({ name: 'Ana' });
    ben = await desk.agent({ name: 'Ben' });
    const seed = async (agent: Who, iso: string, clocks: { met: boolean }[] = []) =>
      convs.push(
        await resolvedConversation(gw.models, {
          inboxId: desk.inbox._id,
          agentId: agent.id,
          teamId: desk.team._id,
          resolvedAt: at(iso),
          clocks,
        }),
      );
    // Two months, two quarters: September (Q3) and October (Q4) in Shanghai.
    await seed(ana, '2026-09-10T10:00', [{ met: true }, { met: false }]);
    await seed(ana, '2026-09-11T10:00', [{ met: true }]);
    await seed(ana, '2026-10-01T00:30'); // 30 September 16:30 UTC: October in Shanghai
    await seed(ben, '2026-09-15T10:00');
    await seed(ben, '2026-10-20T10:00', [{ met: false }]);
    const drawn = await drawSince(gw.url, sup.token, at('2026-09-01T00:00'));
    expect(drawn.body.drawn).toBe(5);
    for (const s of await gw.models.QualitySample.find({}).lean())
      sampleOf.set(String(s.conversationId), String(s._id));
  });

  describe('the rubric', () => {
    it('refuses a rubric with bad criteria, naming each problem, and saves nothing', async () => {
      await expectNothingWritten(async () => {
        const bad = await api<{ error: { message: string } }>(gw.url, admin.token, 'PUT', '/quality/rubric', {
          name: 'Broken',
          criteria: [
            { key: 'greeting', label: { en: 'Greeting', zh: '问候' }, weight: 1, kind: 'pass_fail' },
            { key: 'greeting', label: { en: 'Again', zh: '重复' }, weight: 0, kind: 'scale' },
          ],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toContain('criteria.1.key: is used twice');
        expect(bad.body.error.message).toContain('criteria.1.weight');
        expect(bad.body.error.message).toContain('criteria.1.max: a scale criterion needs its max');
        const empty = await api(gw.url, admin.token, 'PUT', '/quality/rubric', {
          name: 'Empty',
          criteria: [],
        });
        expect(empty.status).toBe(400);
        const above = await api<{ error: { message: string } }>(
          gw.url,
          admin.token,
          'PUT',
          '/quality/rubric',
          {
            name: 'Mark above max',
            criteria: [
              { key: 'a', label: { en: 'A', zh: '甲' }, weight: 1, kind: 'scale', max: 3, errorBelow: 4 },
            ],
          },
        );
        expect(above.body.error.message).toContain('errorBelow: must not be above max');
      });
    });

    it('lets only admins save it; everyone reads it', async () => {
      expect((await api(gw.url, sup.token, 'PUT', '/quality/rubric', STANDARD_RUBRIC)).status).toBe(403);
      const none = await api<{ rubric: RubricView | null }>(gw.url, ana.token, 'GET', '/quality/rubric');
      expect(none.body.rubric).toBeNull();
      const saved = await api<{ rubric: RubricView }>(gw.url, admin.token, 'PUT', '/quality/rubric', {
        ...STANDARD_RUBRIC,
        basedOn: 0,
      });
      expect(saved.status).toBe(201);
      expect(saved.body.rubric.version).toBe(1);
      expect(saved.body.rubric.criteria.find((c) => c.key === 'greeting')).toMatchObject({
        max: 1,
        errorBelow: 1,
      });
      const read = await api<{ rubric: RubricView }>(gw.url, ana.token, 'GET', '/quality/rubric');
      expect(read.body.rubric.version).toBe(1);
      const stale = await api(gw.url, admin.token, 'PUT', '/quality/rubric', {
        ...STANDARD_RUBRIC,
        basedOn: 0,
      });
      expect(stale.status).toBe(409);
      expect(await gw.models.StaffAuditEntry.countDocuments({ action: 'quality.rubric_saved' })).toBe(1);
    });
  });

  describe('scoring', () => {
    const score = (token: string, sampleId: string, body: unknown) =>
      api<{ score: ScoreView; error: { message: string; code: string } }>(
        gw.url,
        token,
        'POST',
        `/quality/samples/${sampleId}/score`,
        body,
      );
    const full = (accuracy: number, greeting = 1, forbidden = 1) => ({
      criteria: [
        { key: 'greeting', score: greeting, comment: greeting ? '' : 'No greeting at all.' },
        { key: 'accuracy', score: accuracy, comment: 'Checked the order number.' },
        { key: 'forbidden_phrases', score: forbidden },
      ],
      comment: 'Overall fine.',
    });

    it('pre-fills timeliness from the clocks of the conversation', async () => {
      const x = await api<InspectionView>(
        gw.url,
        sup.token,
        'GET',
        `/quality/samples/${sampleOf.get(convs[0]!.id)}`,
      );
      expect(x.status).toBe(200);
      expect(x.body.suggested).toEqual({ timeliness: 2 }); // 1 of 2 clocks met, of 4 points
      expect(x.body.messages.map((m) => m.text)).toContain('Hello, my parcel has not arrived.');
      expect(x.body.rubric?.version).toBe(1);
    });

    it('refuses bad scores with their reasons and writes nothing', async () => {
      const id = sampleOf.get(convs[0]!.id)!;
      await expectNothingWritten(async () => {
        const missing = await score(sup.token, id, { criteria: [{ key: 'greeting', score: 1 }] });
        expect(missing.status).toBe(400);
        expect(missing.body.error.message).toContain('criteria.accuracy: give a score');
        const range = await score(sup.token, id, full(6));
        expect(range.body.error.message).toContain('criteria.accuracy: must be a whole number from 0 to 5');
        const pf = await score(sup.token, id, full(4, 2));
        expect(pf.body.error.message).toContain('criteria.greeting: must be 1 (pass) or 0 (fail)');
        const unknown = await score(sup.token, id, {
          criteria: [...full(4).criteria, { key: 'smile', score: 1 }],
        });
        expect(unknown.body.error.message).toContain(
          'criteria.smile: is not a criterion of rubric version 1',
        );
        const extra = await score(sup.token, id, { ...full(4), mood: 'good' });
        expect(extra.status).toBe(400);
        const version = await score(sup.token, id, { ...full(4), rubricVersion: 9 });
        expect(version.body.error.message).toContain('rubricVersion: there is no rubric version 9');
        expect((await score(ana.token, id, full(4))).status).toBe(403);
        expect((await score(sup.token, 'not-an-id', full(4))).status).toBe(400);
        expect((await score(sup.token, '0123456789abcdef01234567', full(4))).status).toBe(404);
      });
    });

    it('scores against the rubric, records the score and any error on the timeline', async () => {
      const c = convs[0]!;
      const res = await score(sup.token, sampleOf.get(c.id)!, full(2, 0));
      expect(res.status).toBe(201);
      // greeting 0/1 ×1, accuracy 2/5 ×3, forbidden 1/1 ×2, timeliness 2/4 ×2 → (0 + 1.2 + 2 + 1) / 8
      expect(res.body.score).toMatchObject({ revision: 1, rubricVersion: 1, scorePct: 52.5, errors: 2 });
      expect(res.body.score.criteria.find((x) => x.key === 'greeting')).toMatchObject({
        error: true,
        comment: 'No greeting at all.',
      });
      const events = await gw.models.ConversationEvent.find({ conversationId: c.id, type: /^quality\./ })
        .sort({ at: 1 })
        .lean();
      expect(events.map((e) => e.type)).toEqual(['quality.sampled', 'quality.scored', 'quality.error']);
      expect(events[2]?.data).toMatchObject({ criteria: ['greeting', 'accuracy'], revision: 1 });
      expect(String(events[1]?.actor.id)).toBe(sup.id);
    });

    it('records a re-score as a new revision with its reason, keeping the first', async () => {
      const id = sampleOf.get(convs[0]!.id)!;
      await expectNothingWritten(async () => {
        const silent = await score(sup.token, id, full(4));
        expect(silent.status).toBe(400);
        expect(silent.body.error.message).toContain('reason');
        const stale = await score(sup.token, id, { ...full(4), reason: 'Second look', revision: 0 });
        expect(stale.status).toBe(409);
      });
      const again = await score(sup.token, id, {
        ...full(4),
        reason: 'The greeting was in the first message.',
        revision: 1,
      });
      expect(again.status).toBe(201);
      expect(again.body.score).toMatchObject({
        revision: 2,
        errors: 0,
        reason: 'The greeting was in the first message.',
      });
      const all = await gw.models.QualityScore.find({ sampleId: id }).sort({ revision: 1 }).lean();
      expect(all.map((s) => [s.revision, s.current])).toEqual([
        [1, false],
        [2, true],
      ]);
      const scored = await gw.models.ConversationEvent.find({
        conversationId: convs[0]!.id,
        type: 'quality.scored',
      }).lean();
      expect(scored.map((e) => e.data.revision).sort()).toEqual([1, 2]);
      expect(await gw.models.StaffAuditEntry.countDocuments({ action: 'quality.rescored' })).toBe(1);
    });

    it('keeps old scores on the rubric version they were scored against', async () => {
      const v2 = await api<{ rubric: RubricView }>(gw.url, admin.token, 'PUT', '/quality/rubric', {
        ...STANDARD_RUBRIC,
        criteria: STANDARD_RUBRIC.criteria.filter((c) => c.key !== 'forbidden_phrases'),
      });
      expect(v2.body.rubric.version).toBe(2);
      const x = await api<InspectionView>(
        gw.url,
        sup.token,
        'GET',
        `/quality/samples/${sampleOf.get(convs[0]!.id)}`,
      );
      expect(x.body.rubric?.version).toBe(1);
      expect(x.body.scores.map((s) => s.rubricVersion)).toEqual([1, 1]);
      // The rest are scored against version 2 (no forbidden-phrase criterion); timeliness taken from the clocks.
      const two = (accuracy: number, greeting = 1) => ({
        criteria: [
          { key: 'greeting', score: greeting },
          { key: 'accuracy', score: accuracy, comment: accuracy < 3 ? 'Wrong delivery date given.' : '' },
        ],
      });
      for (const [c, body] of [
        [convs[1]!, two(5)],
        [convs[2]!, two(1)],
        [convs[3]!, two(3)],
        [convs[4]!, two(5, 0)],
      ] as const) {
        const r = await score(sup.token, sampleOf.get(c.id)!, body);
        expect(r.status).toBe(201);
        expect(r.body.score.rubricVersion).toBe(2);
      }
    });
  });

  describe('what agents see', () => {
    it('shows an agent their own scores and comments, never another agent’s', async () => {
      const mine = await api<{ scores: (ScoreView & { label: string })[] }>(
        gw.url,
        ana.token,
        'GET',
        '/quality/scores',
      );
      expect(mine.status).toBe(200);
      expect(mine.body.scores).toHaveLength(3);
      expect(new Set(mine.body.scores.map((s) => s.agentId))).toEqual(new Set([ana.id]));
      expect(mine.body.scores.flatMap((s) => s.criteria.map((c) => c.comment))).toContain(
        'Wrong delivery date given.',
      );
      expect((await api(gw.url, ana.token, 'GET', `/quality/scores?agentId=${ben.id}`)).status).toBe(403);
      const own = await api<InspectionView>(
        gw.url,
        ana.token,
        'GET',
        `/quality/samples/${sampleOf.get(convs[1]!.id)}`,
      );
      expect(own.status).toBe(200);
      expect(own.body.sample.score?.scorePct).toBeGreaterThan(0);
      const other = await api(gw.url, ana.token, 'GET', `/quality/samples/${sampleOf.get(convs[3]!.id)}`);
      expect(other.status).toBe(404);
      expect((await api(gw.url, ana.token, 'GET', '/quality/samples')).status).toBe(403);
      expect(
        (await api(gw.url, ana.token, 'GET', '/quality/report?from=2026-09-01&to=2026-11-01')).status,
      ).toBe(403);
    });
  });

  describe('the report', () => {
    /** Score and error rate per agent and month from the timeline alone: the latest revision per conversation. */
    async function fromTimeline() {
      const events = await gw.models.ConversationEvent.find({ type: 'quality.scored' }).lean();
      const latest = new Map<string, Record<string, unknown>>();
      for (const e of events) {
        const k = String(e.conversationId);
        if (!latest.has(k) || (latest.get(k)!.revision as number) < (e.data.revision as number))
          latest.set(k, e.data);
      }
      const rows = new Map<string, { n: number; err: number; sum: number }>();
      for (const d of latest.values()) {
        const month = DateTime.fromISO(d.resolvedAt as string)
          .setZone('Asia/Shanghai')
          .toFormat('yyyy-MM');
        const k = `${d.agentId as string}|${month}`;
        const r = rows.get(k) ?? { n: 0, err: 0, sum: 0 };
        r.n++;
        r.sum += d.scorePct as number;
        if ((d.errors as number) > 0) r.err++;
        rows.set(k, r);
      }
      return new Map(
        [...rows].map(([k, r]) => [
          k,
          {
            inspected: r.n,
            errorRatePct: Math.round((r.err / r.n) * 1000) / 10,
            scorePct: Math.round((r.sum / r.n) * 10) / 10,
          },
        ]),
      );
    }

    it('gives score and error rate per agent and month equal to the timeline’s', async () => {
      const res = await api<{ rows: QualityRowView[]; total: QualityRowView; zone: string }>(
        gw.url,
        sup.token,
        'GET',
        '/quality/report?from=2026-09-01&to=2026-11-01&groupBy=agent&interval=month',
      );
      expect(res.status).toBe(200);
      expect(res.body.zone).toBe('Asia/Shanghai');
      const expected = await fromTimeline();
      expect(expected.size).toBe(4);
      expect(res.body.rows).toHaveLength(expected.size);
      for (const r of res.body.rows)
        expect({ inspected: r.inspected, errorRatePct: r.errorRatePct, scorePct: r.scorePct }).toEqual(
          expected.get(`${r.group}|${r.period}`),
        );
      // Ana in October: one conversation resolved at 00:30 Shanghai time, accuracy 1 → an error.
      expect(res.body.rows.find((r) => r.group === ana.id && r.period === '2026-10')).toMatchObject({
        name: 'Ana',
        inspected: 1,
        inError: 1,
        errorRatePct: 100,
      });
      expect(res.body.total).toMatchObject({ inspected: 5, inError: 2, errorRatePct: 40 });
    });

    it('groups by team and quarter, and streams the same figures as CSV', async () => {
      const q = '/quality/report?from=2026-07-01&to=2027-01-01&groupBy=team&interval=quarter';
      const json = await api<{ rows: QualityRowView[] }>(gw.url, sup.token, 'GET', q);
      expect(json.body.rows.map((r) => r.period)).toEqual(['2026-Q3', '2026-Q4']);
      const res = await fetch(`${gw.url}/api${q}&format=csv`, {
        headers: { authorization: `Bearer ${sup.token}` },
      });
      expect(res.headers.get('content-type')).toContain('text/csv');
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0]).toBe('period,group,name,inspected,in_error,errors,error_rate_pct,score_pct');
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows.map((r) => [r[0], Number(r[3]), Number(r[6]), Number(r[7])])).toEqual([
        ...json.body.rows.map((r) => [r.period, r.inspected, r.errorRatePct, r.scorePct]),
        ['', 5, 40, expect.any(Number)],
      ]);
    });

    it('refuses a bad range with its reason', async () => {
      const back = await api<{ error: { message: string } }>(
        gw.url,
        sup.token,
        'GET',
        '/quality/report?from=2026-10-01&to=2026-09-01',
      );
      expect(back.status).toBe(400);
      expect(back.body.error.message).toContain('to: must be after from');
      const bad = await api<{ error: { message: string } }>(
        gw.url,
        sup.token,
        'GET',
        '/quality/report?from=2026-13-45&to=2026-09-01',
      );
      expect(bad.status).toBe(400);
      const interval = await api(
        gw.url,
        sup.token,
        'GET',
        '/quality/report?from=2026-09-01&to=2026-10-01&interval=year',
      );
      expect(interval.status).toBe(400);
    });
  });
});
