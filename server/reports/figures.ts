/**
 * The report's figures per group and period: every clock's attainment and average time,
 * complaint deadlines met, CSAT and response rate, resolutions with first-contact rate and
 * handling time, and follow-ups done on time. Each period is one `$match` on an indexed
 * time field followed by `$group` counts and sums; no record is read into the process.
 */
import type { PipelineStage } from 'mongoose';
import type { Models } from '../domain/models';
import { CLOCK_KINDS, type ClockKind } from '../domain/types';
import { buckets, type Bucket, type Period } from './periods';
import { COMPLAINT_CLOCKS, SOURCES, rangeMatch, type Group, type Scope, type Source } from './sources';

/** Raw counts; the figures are ratios of these. */
export interface Counts {
  clocks: Record<ClockKind, { total: number; met: number; ms: number }>;
  asked: number;
  answers: number;
  satisfied: number;
  resolved: number;
  firstContact: number;
  handleMs: number;
  followUpsDone: number;
  followUpsOnTime: number;
}

export interface Figures {
  clocks: Record<ClockKind, { total: number; met: number; pct: number | null; avgMs: number | null }>;
  complaintDeadlines: { total: number; met: number; pct: number | null };
  csat: {
    asked: number;
    answers: number;
    satisfied: number;
    csatPct: number | null;
    responseRatePct: number | null;
  };
  resolutions: { resolved: number; firstContact: number; fcrPct: number | null; avgHandleMs: number | null };
  followUps: { done: number; onTime: number; pct: number | null };
}

export const pct = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
const avg = (sum: number, n: number) => (n > 0 ? Math.round(sum / n) : null);

const zero = (): Counts => ({
  clocks: Object.fromEntries(CLOCK_KINDS.map((k) => [k, { total: 0, met: 0, ms: 0 }])) as Counts['clocks'],
  asked: 0,
  answers: 0,
  satisfied: 0,
  resolved: 0,
  firstContact: 0,
  handleMs: 0,
  followUpsDone: 0,
  followUpsOnTime: 0,
});

function add(a: Counts, b: Counts): Counts {
  const out = zero();
  for (const k of CLOCK_KINDS)
    out.clocks[k] = {
      total: a.clocks[k].total + b.clocks[k].total,
      met: a.clocks[k].met + b.clocks[k].met,
      ms: a.clocks[k].ms + b.clocks[k].ms,
    };
  for (const k of [
    'asked',
    'answers',
    'satisfied',
    'resolved',
    'firstContact',
    'handleMs',
    'followUpsDone',
    'followUpsOnTime',
  ] as const)
    out[k] = a[k] + b[k];
  return out;
}

export function figuresOf(c: Counts): Figures {
  const complaints = COMPLAINT_CLOCKS.reduce(
    (s, k) => ({ total: s.total + c.clocks[k].total, met: s.met + c.clocks[k].met }),
    { total: 0, met: 0 },
  );
  return {
    clocks: Object.fromEntries(
      CLOCK_KINDS.map((k) => {
        const x = c.clocks[k];
        return [k, { total: x.total, met: x.met, pct: pct(x.met, x.total), avgMs: avg(x.ms, x.total) }];
      }),
    ) as Figures['clocks'],
    complaintDeadlines: { ...complaints, pct: pct(complaints.met, complaints.total) },
    csat: {
      asked: c.asked,
      answers: c.answers,
      satisfied: c.satisfied,
      csatPct: pct(c.satisfied, c.answers),
      responseRatePct: pct(c.answers, c.asked),
    },
    resolutions: {
      resolved: c.resolved,
      firstContact: c.firstContact,
      fcrPct: pct(c.firstContact, c.resolved),
      avgHandleMs: avg(c.handleMs, c.resolved),
    },
    followUps: {
      done: c.followUpsDone,
      onTime: c.followUpsOnTime,
      pct: pct(c.followUpsOnTime, c.followUpsDone),
    },
  };
}

interface Grouped {
  _id: Record<string, unknown>;
  n: number;
  ms?: number;
}

const groupKey = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** `$match` the period, `$group` by the report's group and `by`, counting (and summing `sum`). */
async function tally(
  models: Models,
  source: Source,
  b: Bucket,
  q: { groupBy: Group; scope: Scope },
  by: Record<string, string>,
  extra: Record<string, unknown> = {},
  sum?: string,
): Promise<Grouped[]> {
  const id: Record<string, string> = { ...by };
  const field = q.groupBy === 'none' ? null : source.field[q.groupBy];
  if (field) id.g = `$${field}`;
  const model = source.model(models) as Models['SlaMeasurement'];
  const run = (acc: PipelineStage.Group['$group']) =>
    model.aggregate<Grouped>([
      { $match: { ...rangeMatch(source, b.from, b.to, q.scope), ...source.base, ...extra } },
      { $group: acc },
    ]);
  // One accumulator per `$group`: FerretDB 1.x feeds the records to the first accumulator
  // only (the next ones see none), so a count and a sum are two aggregations.
  const [counts, sums] = await Promise.all([
    run({ _id: id, n: { $sum: 1 } }),
    sum ? run({ _id: id, ms: { $sum: `$${sum}` } }) : Promise.resolve([]),
  ]);
  const ms = new Map(sums.map((g) => [JSON.stringify(g._id), g.ms]));
  return counts.map((g) => ({ ...g, ms: ms.get(JSON.stringify(g._id)) ?? 0 }));
}

/** The counts of one period, by group. */
async function countBucket(
  models: Models,
  b: Bucket,
  q: { groupBy: Group; scope: Scope },
): Promise<Map<string | null, Counts>> {
  const [clocks, surveys, resolutions, done, onTime] = await Promise.all([
    tally(models, SOURCES.measurements, b, q, { c: '$clock', m: '$met' }, {}, 'elapsedMs'),
    tally(models, SOURCES.surveys, b, q, { s: '$satisfied' }),
    tally(models, SOURCES.resolutions, b, q, { f: '$firstContact' }, {}, 'handleMs'),
    tally(models, SOURCES.followups, b, q, {}),
    tally(models, SOURCES.followups, b, q, {}, { 'clock.breachedAt': null }),
  ]);
  const out = new Map<string | null, Counts>();
  const at = (g: Grouped) => {
    const k = groupKey(g._id.g);
    const c = out.get(k) ?? zero();
    out.set(k, c);
    return c;
  };
  for (const g of clocks) {
    const kind = g._id.c as ClockKind;
    const c = at(g).clocks[kind];
    if (!c) continue;
    c.total += g.n;
    if (g._id.m === true) c.met += g.n;
    c.ms += Number(g.ms ?? 0);
  }
  for (const g of surveys) {
    const c = at(g);
    c.asked += g.n;
    if (g._id.s === true || g._id.s === false) c.answers += g.n;
    if (g._id.s === true) c.satisfied += g.n;
  }
  for (const g of resolutions) {
    const c = at(g);
    c.resolved += g.n;
    if (g._id.f === true) c.firstContact += g.n;
    c.handleMs += Number(g.ms ?? 0);
  }
  for (const g of done) at(g).followUpsDone += g.n;
  for (const g of onTime) at(g).followUpsOnTime += g.n;
  return out;
}

export interface ReportQuery {
  from: Date;
  to: Date;
  period: Period;
  groupBy: Group;
  timeZone: string;
  scope: Scope;
}

export interface Report {
  total: Figures;
  /** The whole range, per group (one row, group null, when not grouped). */
  groups: { group: string | null; figures: Figures }[];
  /** The trend: every period's figures over all groups (empty for period `all`). */
  series: { period: string; from: string; to: string; figures: Figures }[];
  /** Every period × group (empty for period `all` or no grouping). */
  rows: { period: string; group: string | null; figures: Figures }[];
}

/** Periods are counted a few at a time: a long range is many small aggregations, not one big read. */
const PARALLEL_PERIODS = 4;

export async function report(models: Models, q: ReportQuery): Promise<Report> {
  const list = buckets(q.from, q.to, q.period, q.timeZone);
  const counted: Map<string | null, Counts>[] = [];
  for (let i = 0; i < list.length; i += PARALLEL_PERIODS) {
    const part = list.slice(i, i + PARALLEL_PERIODS);
    counted.push(...(await Promise.all(part.map((b) => countBucket(models, b, q)))));
  }
  const byGroup = new Map<string | null, Counts>();
  let total = zero();
  const series: Report['series'] = [];
  const rows: Report['rows'] = [];
  list.forEach((b, i) => {
    let inPeriod = zero();
    for (const [g, c] of counted[i] ?? []) {
      byGroup.set(g, add(byGroup.get(g) ?? zero(), c));
      inPeriod = add(inPeriod, c);
      if (b.key && q.groupBy !== 'none') rows.push({ period: b.key, group: g, figures: figuresOf(c) });
    }
    total = add(total, inPeriod);
    if (b.key)
      series.push({
        period: b.key,
        from: b.from.toISOString(),
        to: b.to.toISOString(),
        figures: figuresOf(inPeriod),
      });
  });
  const groups = [...byGroup.entries()]
    .map(([group, c]) => ({ group, figures: figuresOf(c) }))
    .sort((a, b) => (a.group ?? '').localeCompare(b.group ?? ''));
  return { total: figuresOf(total), groups, series, rows };
}
