/**
 * CSAT figures: per group (agent, team, inbox, channel, category) and period, the surveys
 * asked, the answers, the satisfied answers (4–5), CSAT % = satisfied ÷ answers and the
 * response rate = answers ÷ asked. One aggregation over the askedAt index, no rows loaded.
 */
import type { Models } from '../domain/models';

export const GROUPS = ['agent', 'team', 'inbox', 'channel', 'category'] as const;
export type Group = (typeof GROUPS)[number];
export const INTERVALS = ['all', 'day', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const FIELD: Record<Group, string> = {
  agent: '$agentId',
  team: '$teamId',
  inbox: '$inboxId',
  channel: '$channel',
  category: '$category',
};

export interface FigureRow {
  group: string | null;
  /** The day or month (in the gateway's time zone), or null for the whole range. */
  period: string | null;
  asked: number;
  answers: number;
  satisfied: number;
  /** satisfied ÷ answers, as a percentage with one decimal; null without answers. */
  csatPct: number | null;
  /** answers ÷ asked, as a percentage with one decimal. */
  responseRatePct: number | null;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

interface Counted {
  _id: { g?: unknown; p?: unknown };
  n: number;
}

interface Grouped {
  _id: { g?: unknown; p?: unknown };
  asked: number;
  answers: number;
  satisfied: number;
}

export async function csatFigures(
  models: Models,
  q: { from: Date; to: Date; groupBy: Group; interval: Interval },
): Promise<{ rows: FigureRow[]; total: FigureRow }> {
  const id: Record<string, string> = { g: FIELD[q.groupBy] };
  if (q.interval !== 'all') id.p = `$${q.interval}`;
  // Three counts over the same period, each a plain `$sum: 1`: FerretDB 1.x sums no
  // expressions or stored fields reliably inside `$group`, and MongoDB answers the same.
  const count = (extra: Record<string, unknown>) =>
    models.Survey.aggregate<Counted>([
      { $match: { askedAt: { $gte: q.from, $lt: q.to }, ...extra } },
      { $group: { _id: id, n: { $sum: 1 } } },
    ]);
  const [asked, answered, satisfied] = await Promise.all([
    count({}),
    count({ rating: { $ne: null } }),
    count({ satisfied: true }),
  ]);
  const key = (g: Counted) => JSON.stringify([g._id.g ?? null, g._id.p ?? null]);
  const tally = (list: Counted[]) => new Map(list.map((g) => [key(g), g.n]));
  const answers = tally(answered);
  const happy = tally(satisfied);
  const grouped: Grouped[] = asked.map((g) => ({
    _id: g._id,
    asked: g.n,
    answers: answers.get(key(g)) ?? 0,
    satisfied: happy.get(key(g)) ?? 0,
  }));
  const row = (group: string | null, period: string | null, n: Omit<Grouped, '_id'>): FigureRow => ({
    group,
    period,
    asked: n.asked,
    answers: n.answers,
    satisfied: n.satisfied,
    csatPct: pct(n.satisfied, n.answers),
    responseRatePct: pct(n.answers, n.asked),
  });
  const rows = grouped
    .map((g) =>
      row(
        g._id.g === null || g._id.g === undefined ? null : String(g._id.g),
        typeof g._id.p === 'string' ? g._id.p : null,
        g,
      ),
    )
    .sort(
      (a, b) =>
        (a.period ?? '').localeCompare(b.period ?? '') || (a.group ?? '').localeCompare(b.group ?? ''),
    );
  const sum = (k: 'asked' | 'answers' | 'satisfied') => grouped.reduce((n, g) => n + g[k], 0);
  return {
    rows,
    total: row(null, null, { asked: sum('asked'), answers: sum('answers'), satisfied: sum('satisfied') }),
  };
}
