/** The periods of quality reports — ISO week, month, quarter — of an instant in a time zone. */
import { DateTime } from 'luxon';

export const INTERVALS = ['all', 'week', 'month', 'quarter'] as const;
export type Interval = (typeof INTERVALS)[number];

/** `2026-W49`, `2026-12` or `2026-Q4` for `at` in `zone`; null for the whole range. */
export function periodOf(at: Date, zone: string, interval: Interval): string | null {
  const d = DateTime.fromJSDate(at, { zone });
  if (interval === 'week') return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
  if (interval === 'month') return d.toFormat('yyyy-MM');
  if (interval === 'quarter') return `${d.year}-Q${d.quarter}`;
  return null;
}

/** Monday 00:00 (in `zone`) of the week before the one holding `at`: where the sweep looks from. */
export function startOfPreviousWeek(at: Date, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).startOf('week').minus({ weeks: 1 }).toJSDate();
}
