/**
 * Report figures: every figure the overview shows — each clock's attainment and average
 * time, complaint deadlines, CSAT and response rate, resolutions with first-contact rate
 * and handling time, follow-ups on time — equals the same figure recomputed from the
 * conversations' timelines; the drill-down lists the records behind a figure, and the
 * periods follow the report's time zone.
 */
import type { Figures } from '../../server/reports/figures';
import { CLOCK_KINDS } from '../../server/domain/types';
import { api, createAgent, suiteGateway } from '../harness/gateway';
import { fromTimeline, seedDay, type Recomputed } from './steps';

const gw = suiteGateway({ env: { SLA_WARN_RATIO: '0.5' } });

interface Overview {
  timeZone: string;
  total: Figures;
  groups: { group: string | null; label: string | null; figures: Figures }[];
  series: { period: string; from: string; to: string; figures: Figures }[];
  rows: { period: string; group: string | null; figures: Figures }[];
}

const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : null);
const avg = (s: number, n: number) => (n > 0 ? Math.round(s / n) : null);

/** The figures the report should show for one recomputed group. */
function expected(r: Recomputed): Figures {
  const clock = (k: string) => r.clocks[k] ?? { total: 0, met: 0, ms: 0 };
  const complaints = ['complaint_acknowledgement', 'complaint_solution', 'complaint_follow_up'].reduce(
    (s, k) => ({ total: s.total + clock(k).total, met: s.met + clock(k).met }),
    { total: 0, met: 0 },
  );
  return {
    clocks: Object.fromEntries(
      CLOCK_KINDS.map((k) => {
        const c = clock(k);
        return [k, { total: c.total, met: c.met, pct: pct(c.met, c.total), avgMs: avg(c.ms, c.total) }];
      }),
    ) as Figures['clocks'],
    complaintDeadlines: { ...complaints, pct: pct(complaints.met, complaints.total) },
    csat: {
      asked: r.asked,
      answers: r.answers,
      satisfied: r.satisfied,
      csatPct: pct(r.satisfied, r.answers),
      responseRatePct: pct(r.answers, r.asked),
    },
    resolutions: {
      resolved: r.resolved,
      firstContact: r.firstContact,
      fcrPct: pct(r.firstContact, r.resolved),
      avgHandleMs: avg(r.handleMs, r.resolved),
    },
    followUps: {
      done: r.followUpsDone,
      onTime: r.followUpsOnTime,
      pct: pct(r.followUpsOnTime, r.followUpsDone),
    },
  };
}

/** Average times are compared to the millisecond only where the recomputation reads the same instants. */
function comparable(f: Figures) {
  return {
    ...f,
    clocks: Object.fromEntries(
      Object.entries(f.clocks).map(([k, c]) => [k, { total: c.total, met: c.met, pct: c.pct }]),
    ),
  };
}

let seeded: Awaited<ReturnType<typeof seedDay>>;
let supervisor: Awaited<ReturnType<typeof createAgent>>;
const range = () => {
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  return `from=${from}&to=${to}`;
};

beforeAll(async () => {
  seeded = await seedDay(gw);
  // The supervisor of every team the day was seeded in: reports count their teams.
  const teamIds = (await gw.models.Team.find({}, { _id: 1 }).lean()).map((t) => String(t._id));
  supervisor = await createAgent(gw, { role: 'supervisor', capacity: 0, teamIds });
}, 60_000);

describe('report figures', () => {
  it('per agent, equal a recomputation from the timeline', async () => {
    const res = await api<Overview>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/overview?${range()}&period=all&groupBy=agent`,
    );
    expect(res.status).toBe(200);
    const recomputed = await fromTimeline(gw, seeded.conversations);
    const rows = res.body.groups;
    expect(rows.map((g) => g.group).sort()).toEqual([...recomputed.keys()].map(String).sort());
    for (const g of rows) {
      const r = recomputed.get(g.group);
      expect(r).toBeDefined();
      const want = expected(r!);
      expect(comparable(g.figures)).toEqual(comparable(want));
      // A stop event carries the measured time; a breach is measured when it happens, which its event does not say.
      for (const k of CLOCK_KINDS)
        if (want.clocks[k].met === want.clocks[k].total)
          expect(g.figures.clocks[k].avgMs).toBe(want.clocks[k].avgMs);
    }
    const ana = rows.find((g) => g.group === seeded.ana.id)!;
    expect(ana.label).toBe('Ana');
    expect(ana.figures.clocks.reply).toMatchObject({ total: 2, met: 1, pct: 50 });
    expect(ana.figures.csat).toMatchObject({
      asked: 2,
      answers: 2,
      satisfied: 1,
      csatPct: 50,
      responseRatePct: 100,
    });
    expect(ana.figures.followUps).toEqual({ done: 1, onTime: 0, pct: 0 });
    const bo = rows.find((g) => g.group === seeded.bo.id)!;
    expect(bo.figures.resolutions).toMatchObject({ resolved: 3, firstContact: 2 });
    expect(bo.figures.complaintDeadlines).toEqual({ total: 3, met: 3, pct: 100 });
    expect(bo.figures.followUps).toEqual({ done: 1, onTime: 1, pct: 100 });
    // The total is the sum of the groups.
    expect(res.body.total.resolutions.resolved).toBe(5);
    expect(res.body.total.csat.asked).toBe(rows.reduce((n, g) => n + g.figures.csat.asked, 0));
  });

  it('per day and per team in the time zone asked for, with the trend series', async () => {
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles']) {
      const res = await api<Overview>(
        gw.url,
        supervisor.token,
        'GET',
        `/reports/overview?${range()}&period=day&groupBy=team&tz=${encodeURIComponent(tz)}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.timeZone).toBe(tz);
      const today = new Intl.DateTimeFormat('en-CA', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date());
      const withResolutions = res.body.series.filter((s) => s.figures.resolutions.resolved > 0);
      expect(withResolutions.map((s) => s.period)).toEqual([today]);
      expect(withResolutions[0]!.figures.resolutions.resolved).toBe(5);
      const team = res.body.rows.find((r) => r.group === String(seeded.desk.team._id) && r.period === today);
      expect(team?.figures.resolutions.resolved).toBe(5);
    }
    const weeks = await api<Overview>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/overview?${range()}&period=week`,
    );
    expect(weeks.body.series.every((s) => /^\d{4}-W\d{2}$/.test(s.period))).toBe(true);
  });

  it('drill down to the records behind a figure, a page at a time', async () => {
    const missed = await api<{
      total: number;
      items: { conversationId: string; number: number; name: string | null; outcome: string }[];
    }>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/conversations?${range()}&figure=reply&outcome=missed&groupBy=agent&group=${seeded.ana.id}`,
    );
    expect(missed.status).toBe(200);
    expect(missed.body.total).toBe(1);
    expect(missed.body.items[0]).toMatchObject({
      conversationId: seeded.conversations[1],
      outcome: 'missed',
    });
    expect(missed.body.items[0]!.number).toBeGreaterThan(0);

    const all = await api<{ total: number; items: unknown[] }>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/conversations?${range()}&figure=resolutions&pageSize=2&page=2`,
    );
    expect(all.body.total).toBe(5);
    expect(all.body.items).toHaveLength(2);
    const fcr = await api<{ total: number }>(
      gw.url,
      supervisor.token,
      'GET',
      `/reports/conversations?${range()}&figure=resolutions&outcome=firstContact`,
    );
    expect(fcr.body.total).toBe(4);
  });

  it('is for supervisors and admins, and refuses bad parameters with a reason', async () => {
    const agent = await createAgent(gw, { role: 'agent' });
    expect((await api(gw.url, agent.token, 'GET', '/reports/overview')).status).toBe(403);
    for (const q of [
      'period=year',
      'groupBy=planet',
      'tz=Mars/Olympus',
      'from=2026-02-01&to=2026-01-01',
      'from=2000-01-01&to=2026-01-01&period=day',
    ]) {
      const res = await api<{ error: { message: string } }>(
        gw.url,
        supervisor.token,
        'GET',
        `/reports/overview?${q}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    const wrong = await api(
      gw.url,
      supervisor.token,
      'GET',
      '/reports/conversations?figure=csat&outcome=met',
    );
    expect(wrong.status).toBe(400);
  });
});
