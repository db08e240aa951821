/**
 * Business-time arithmetic: turns a calendar into a WorkingTime (open or not, next opening,
 * deadlines counting only open time, open time elapsed) and describes it for customers.
 * Pure: no I/O, no clock; Luxon does every time-zone conversion.
 */
import { DateTime } from 'luxon';
import { CalendarNeverOpens } from './errors';
import { isTimeZone, WEEKDAYS, type CalendarSpec, type Hours, type SpecialDay, type Weekday } from './spec';
import type { WorkingTime } from './working-time';

/** How far ahead an opening is looked for before a calendar counts as never open again. */
export const HORIZON_DAYS = 3 * 366;
const MS_PER_DAY = 86_400_000;
/** Memoised days per calendar; a bound keeps a long-lived calendar from growing without limit. */
const MAX_CACHED_DAYS = 4000;

/** An open period as [start, end) in epoch ms. */
type Interval = readonly [number, number];

/**
 * Civil dates are counted as whole days since 1970-01-01 (a day number). Stepping from one
 * civil date to the next involves no zone rules, so it is plain arithmetic on UTC dates;
 * only turning a local date and time into an instant goes through Luxon.
 */
function civil(day: number) {
  const d = new Date(day * MS_PER_DAY);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: String(((d.getUTCDay() + 6) % 7) + 1) as Weekday,
    key: d.toISOString().slice(0, 10),
  };
}

function checkInstant(at: Date, what: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

/**
 * Builds the WorkingTime of a calendar validated by `CalendarInput`.
 * - A local interval is converted day by day: on a spring-forward day 01:00–03:00 in New
 *   York lasts one hour, on the autumn day 00:00–03:00 lasts four. Local times that do not
 *   exist move forward and repeated ones resolve as Luxon resolves them.
 * - `addBusinessMs(start, 0)` is `start`; otherwise the result is the earliest instant at
 *   which `ms` of open time have been counted (a deadline can fall exactly on a closing time).
 * - `nextOpening` answers null, and `addBusinessMs` throws `CalendarNeverOpens`, when no
 *   opening follows within `HORIZON_DAYS`. Negative or fractional ms throw a RangeError.
 */
export function workingTime(spec: CalendarSpec): WorkingTime {
  const zone = spec.timeZone;
  if (!isTimeZone(zone)) throw new RangeError(`${zone} is not an IANA time zone`);
  const holidays = new Map(spec.holidays.map((d) => [d.date, d]));
  const extraWorkdays = new Map(spec.extraWorkdays.map((d) => [d.date, d]));
  const monday = spec.weekly['1'] ?? [];
  const hoursOf = (d: SpecialDay | undefined, fallback: Hours[]) => (d?.hours?.length ? d.hours : fallback);
  // A calendar with no hours anywhere is answered at once instead of scanning the horizon.
  const opensAtAll =
    WEEKDAYS.some((d) => (spec.weekly[d]?.length ?? 0) > 0) ||
    spec.holidays.some((d) => (d.hours?.length ?? 0) > 0) ||
    spec.extraWorkdays.some((d) => hoursOf(d, monday).length > 0);

  function hoursOn(day: number): Hours[] {
    const c = civil(day);
    if (holidays.has(c.key)) return hoursOf(holidays.get(c.key), []);
    if (extraWorkdays.has(c.key)) return hoursOf(extraWorkdays.get(c.key), monday);
    return spec.weekly[c.weekday] ?? [];
  }

  function localInstant(day: number, hhmm: string): number {
    if (hhmm === '24:00') return localInstant(day + 1, '00:00');
    const c = civil(day);
    const [hour, minute] = hhmm.split(':').map(Number);
    return DateTime.fromObject(
      { year: c.year, month: c.month, day: c.day, hour, minute },
      { zone },
    ).toMillis();
  }

  const days = new Map<number, Interval[]>();
  function intervalsOn(day: number): Interval[] {
    const known = days.get(day);
    if (known) return known;
    const list = hoursOn(day)
      .map((h): Interval => [localInstant(day, h.open), localInstant(day, h.close)])
      .filter(([s, e]) => e > s)
      .sort((a, b) => a[0] - b[0]);
    const merged: Interval[] = [];
    for (const iv of list) {
      const last = merged[merged.length - 1];
      if (last && iv[0] <= last[1]) merged[merged.length - 1] = [last[0], Math.max(last[1], iv[1])];
      else merged.push(iv);
    }
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(day, merged);
    return merged;
  }

  const localDay = (ms: number) => {
    const d = DateTime.fromMillis(ms, { zone });
    return Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;
  };

  /**
   * Open intervals that end after `from`, in order, through local day `lastDay`, or until
   * HORIZON_DAYS pass without any opening. Starts a day early so a zone whose midnight
   * does not exist cannot hide the end of the previous day's hours.
   */
  function* openFrom(from: number, lastDay?: number): Generator<Interval> {
    if (!opensAtAll) return;
    let day = localDay(from) - 1;
    for (let idle = 0; lastDay === undefined ? idle < HORIZON_DAYS : day <= lastDay; day++) {
      const list = intervalsOn(day);
      idle = list.length > 0 ? 0 : idle + 1;
      for (const iv of list) if (iv[1] > from) yield iv;
    }
  }

  return {
    isOpen(at) {
      const t = checkInstant(at, 'at');
      const day = localDay(t);
      return [day - 1, day].some((d) => intervalsOn(d).some(([s, e]) => s <= t && t < e));
    },
    nextOpening(at) {
      const t = checkInstant(at, 'at');
      for (const [s] of openFrom(t)) return new Date(Math.max(s, t));
      return null;
    },
    addBusinessMs(start, ms) {
      const t = checkInstant(start, 'start');
      if (!Number.isSafeInteger(ms) || ms < 0)
        throw new RangeError('ms must be a whole, non-negative number');
      if (ms === 0) return new Date(t);
      let left = ms;
      for (const [s, e] of openFrom(t)) {
        const from = Math.max(s, t);
        if (left <= e - from) return new Date(from + left);
        left -= e - from;
      }
      throw new CalendarNeverOpens(zone);
    },
    businessMsBetween(from, to) {
      const a = checkInstant(from, 'from');
      const b = checkInstant(to, 'to');
      let total = 0;
      if (b <= a) return total;
      for (const [s, e] of openFrom(a, localDay(b))) {
        if (s >= b) break;
        total += Math.min(e, b) - Math.max(s, a);
      }
      return total;
    },
  };
}

/** What the widget shows: whether the service is open now, when it next opens, and its hours. */
export interface CalendarDescription {
  open: boolean;
  /** ISO instant of the next opening (`at` itself while open); null if it never opens again. */
  nextOpeningAt: string | null;
  timeZone: string;
  /** Every weekday key, `[]` when closed. */
  weekly: Record<Weekday, Hours[]>;
}

export function describeCalendar(
  spec: CalendarSpec,
  at: Date,
  time = workingTime(spec),
): CalendarDescription {
  const next = time.nextOpening(at);
  return {
    open: time.isOpen(at),
    nextOpeningAt: next ? next.toISOString() : null,
    timeZone: spec.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, spec.weekly[d] ?? []])) as Record<Weekday, Hours[]>,
  };
}
