/**
 * The supervisors' reports API: figures per group and period with their trend, the records
 * behind any figure (paged), and their CSV export. See docs/api.md §5.
 */
import express, { type Request } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import { timeZone } from '../calendar/spec';
import { InvalidInput } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, route } from '../http/errors';
import { streamCsv } from './csv';
import { drill, type DrillQuery } from './drill';
import { report } from './figures';
import { groupLabels } from './labels';
import { PERIODS, reportTimeZone } from './periods';
import { queueOverDay } from './queue-day';
import { FIGURES, GROUPS, OUTCOMES, type Scope } from './sources';
import { seesEverything } from '../access/rules';

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/,
    'must be a date (YYYY-MM-DD) or an ISO instant',
  );

const Range = z.object({
  from: instant.optional(),
  to: instant.optional(),
  tz: timeZone.optional(),
  groupBy: z.enum(GROUPS).default('none'),
});
const Overview = Range.extend({
  period: z.enum(PERIODS).default('day'),
  lang: z.enum(['en', 'zh-CN']).default('en'),
});
const Records = Range.extend({
  figure: z.enum(FIGURES),
  outcome: z.enum(OUTCOMES).optional(),
  /** The group's value; `null` for the records without one. */
  group: z.string().max(100).optional(),
});
const Page = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** Who the caller may count (the access model): a supervisor their teams, an admin every team. */
function scopeOf(req: Request): Scope {
  const who = (req as AuthedRequest).agent;
  return { teamIds: seesEverything(who) ? null : who.teamIds };
}

export function reportsRouter(models: Models, access: AgentAccess, defaultTimeZone: string, now: () => Date) {
  const zoneOf = async (tz: string | undefined) => {
    return tz ?? (await reportTimeZone(models, defaultTimeZone));
  };
  /** A date is its local midnight (`to`: the end of that day); an instant is itself. Default: the last 7 days. */
  const range = async (q: z.output<typeof Range>) => {
    const zone = await zoneOf(q.tz);
    const at = (s: string, end: boolean) => {
      if (s.length > 10) return new Date(s);
      const d = DateTime.fromISO(s, { zone });
      if (!d.isValid) throw new InvalidInput(`${end ? 'to' : 'from'}: ${s} is not a date`);
      return (end ? d.plus({ days: 1 }) : d).toJSDate();
    };
    const today = DateTime.fromJSDate(now(), { zone }).startOf('day');
    const to = q.to ? at(q.to, true) : today.plus({ days: 1 }).toJSDate();
    const from = q.from ? at(q.from, false) : today.minus({ days: 6 }).toJSDate();
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
      throw new InvalidInput('from, to: not a valid time');
    if (!(to.getTime() > from.getTime())) throw new InvalidInput('to: must be after from');
    return { from, to, timeZone: zone };
  };
  const records = async (req: Request): Promise<DrillQuery & { timeZone: string }> => {
    const q = parse(Records, req.query);
    const r = await range(q);
    return {
      ...r,
      figure: q.figure,
      outcome: q.outcome,
      groupBy: q.groupBy,
      group: q.group === undefined || q.group === 'null' ? null : q.group,
      scope: scopeOf(req),
    };
  };

  const r = express.Router();
  const guard = requireRole(access, ['supervisor', 'admin']);
  r.get(
    '/reports/overview',
    guard,
    route(async (req, res) => {
      const q = parse(Overview, req.query);
      const { from, to, timeZone: zone } = await range(q);
      const scope = scopeOf(req);
      const out = await report(models, {
        from,
        to,
        period: q.period,
        groupBy: q.groupBy,
        timeZone: zone,
        scope,
      });
      const labels = await groupLabels(
        models,
        q.groupBy,
        out.groups.map((g) => g.group),
        q.lang,
      );
      res.json({
        from: from.toISOString(),
        to: to.toISOString(),
        timeZone: zone,
        period: q.period,
        groupBy: q.groupBy,
        scope,
        ...out,
        groups: out.groups.map((g) => ({
          ...g,
          label: g.group === null ? null : (labels[g.group] ?? g.group),
        })),
      });
    }),
  );
  r.get(
    '/reports/conversations',
    guard,
    route(async (req, res) => {
      const q = await records(req);
      res.json(await drill(models, q, parse(Page, { page: req.query.page, pageSize: req.query.pageSize })));
    }),
  );
  r.get(
    '/reports/export.csv',
    guard,
    route(async (req, res) => {
      await streamCsv(models, await records(req), res);
    }),
  );
  r.get(
    '/reports/queue-day',
    guard,
    route(async (req, res) => {
      const q = parse(z.object({ tz: timeZone.optional() }), req.query);
      const zone = await zoneOf(q.tz);
      res.json(await queueOverDay(models, now(), zone, scopeOf(req)));
    }),
  );
  return r;
}
