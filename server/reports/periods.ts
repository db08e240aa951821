/**
 * The report's periods: a date range cut into days, ISO weeks or months in a time zone
 * (the default calendar's, or one the caller names), each a [from, to) range the figures
 * `$match` on, since the database buckets no dates by time zone.
 */
import { DateTime } from 'luxon';
import { DEFAULT_CALENDAR_NAME } from '../calendar/store';
import { InvalidInput } from '../domain/errors';
import type { Models } from '../domain/models';

export const PERIODS = ['all', 'day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface Bucket {
  /** `2026-12-01`, `2026-W49`, `2026-12`, or null for the whole range. */
  key: string | null;
  from: Date;
  to: Date;
}

/** At most this many periods in one report (a day-by-day year, a week-by-week decade). */
export const MAX_BUCKETS = 400;

const UNIT = { day: 'day', week: 'week', month: 'month' } as const;
const FORMAT = { day: 'yyyy-MM-dd', week: "kkkk-'W'WW", month: 'yyyy-MM' } as const;

export function periodKey(at: Date, period: Exclude<Period, 'all'>, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat(FORMAT[period]);
}

export function buckets(from: Date, to: Date, period: Period, timeZone: string): Bucket[] {
  if (period === 'all') return [{ key: null, from, to }];
  const unit = UNIT[period];
  const out: Bucket[] = [];
  let start = DateTime.fromJSDate(from, { zone: timeZone }).startOf(unit);
  while (start.toMillis() < to.getTime()) {
    if (out.length >= MAX_BUCKETS)
      throw new InvalidInput(`The range holds more than ${MAX_BUCKETS} periods: choose a longer period.`);
    const end = start.plus({ [`${unit}s`]: 1 });
    out.push({
      key: start.toFormat(FORMAT[period]),
      from: new Date(Math.max(start.toMillis(), from.getTime())),
      to: new Date(Math.min(end.toMillis(), to.getTime())),
    });
    start = end;
  }
  return out;
}

/** Midnight today in the time zone. */
export const startOfDay = (now: Date, timeZone: string): Date =>
  DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').toJSDate();

/** The reports' time zone: the default calendar's, else the gateway's default. */
export async function reportTimeZone(models: Models, fallback: string): Promise<string> {
  const cal = await models.Calendar.findOne({ name: DEFAULT_CALENDAR_NAME }, { timeZone: 1 }).lean();
  return cal?.timeZone ?? fallback;
}
