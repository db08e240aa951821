/**
 * Quality figures per agent or team and period (ISO week, month, quarter in the default
 * calendar's zone, by the conversation's resolution): conversations inspected, those in
 * error, error rate = in error ÷ inspected, score = the mean of their scores. Only each
 * conversation's current score counts. The scores of the range are read as a stream over
 * the `current, resolvedAt` index, keeping one tally per row (FerretDB 1.x sums no stored
 * fields reliably inside `$group`).
 */
import type { Response } from 'express';
import type { Models } from '../domain/models';
import { periodOf, type Interval } from './periods';
import { round1 } from './score';

export const GROUPS = ['agent', 'team', 'all'] as const;
export type Group = (typeof GROUPS)[number];

export interface QualityRow {
  group: string | null;
  name: string | null;
  period: string | null;
  inspected: number;
  inError: number;
  /** Criteria scored as errors, all conversations of the row together. */
  errors: number;
  /** inError ÷ inspected, as a percentage with one decimal. */
  errorRatePct: number | null;
  /** The mean score (0–100), one decimal. */
  scorePct: number | null;
}

interface Tally {
  group: string | null;
  period: string | null;
  inspected: number;
  inError: number;
  errors: number;
  sum: number;
}

export function finish(t: Tally, name: string | null): QualityRow {
  return {
    group: t.group,
    name,
    period: t.period,
    inspected: t.inspected,
    inError: t.inError,
    errors: t.errors,
    errorRatePct: t.inspected > 0 ? round1((t.inError / t.inspected) * 100) : null,
    scorePct: t.inspected > 0 ? round1(t.sum / t.inspected) : null,
  };
}

export interface ReportQuery {
  from: Date;
  to: Date;
  groupBy: Group;
  interval: Interval;
  zone: string;
}

export async function qualityFigures(
  models: Models,
  q: ReportQuery,
): Promise<{ rows: QualityRow[]; total: QualityRow }> {
  const tallies = new Map<string, Tally>();
  const total: Tally = { group: null, period: null, inspected: 0, inError: 0, errors: 0, sum: 0 };
  const cursor = models.QualityScore.find(
    { current: true, resolvedAt: { $gte: q.from, $lt: q.to } },
    { agentId: 1, teamId: 1, resolvedAt: 1, scorePct: 1, errorCount: 1 },
  )
    .lean()
    .cursor();
  for await (const s of cursor) {
    const id = q.groupBy === 'agent' ? s.agentId : q.groupBy === 'team' ? s.teamId : null;
    const group = id ? String(id) : null;
    const period = periodOf(new Date(s.resolvedAt), q.zone, q.interval);
    const key = JSON.stringify([group, period]);
    const t = tallies.get(key) ?? { group, period, inspected: 0, inError: 0, errors: 0, sum: 0 };
    for (const x of [t, total]) {
      x.inspected++;
      x.errors += s.errorCount;
      x.sum += s.scorePct;
      if (s.errorCount > 0) x.inError++;
    }
    tallies.set(key, t);
  }
  const names = await namesOf(
    models,
    q.groupBy,
    [...tallies.values()].map((t) => t.group),
  );
  const rows = [...tallies.values()]
    .map((t) => finish(t, t.group ? (names.get(t.group) ?? null) : null))
    .sort(
      (a, b) =>
        (a.period ?? '').localeCompare(b.period ?? '') ||
        (a.name ?? a.group ?? '').localeCompare(b.name ?? b.group ?? ''),
    );
  return { rows, total: finish(total, null) };
}

async function namesOf(models: Models, groupBy: Group, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (groupBy === 'all' || wanted.length === 0) return new Map();
  const docs =
    groupBy === 'agent'
      ? await models.Agent.find({ _id: { $in: wanted } }, { name: 1 }).lean()
      : await models.Team.find({ _id: { $in: wanted } }, { name: 1 }).lean();
  return new Map(docs.map((d) => [String(d._id), d.name]));
}

const CSV_COLUMNS = [
  'period',
  'group',
  'name',
  'inspected',
  'in_error',
  'errors',
  'error_rate_pct',
  'score_pct',
];

/** A CSV field: quoted when it holds a separator, a quote or a line break; formula starts defused. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the rows as CSV, one write per row, waiting when the client reads slowly. */
export async function streamCsv(res: Response, rows: QualityRow[], filename: string): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.write(`${CSV_COLUMNS.join(',')}\r\n`);
  for (const r of rows) {
    const line = [r.period, r.group, r.name, r.inspected, r.inError, r.errors, r.errorRatePct, r.scorePct]
      .map(csvField)
      .join(',');
    if (!res.write(`${line}\r\n`)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}
