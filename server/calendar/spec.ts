/**
 * The shape of a service calendar (weekly hours in an IANA zone, holidays, make-up workdays)
 * and its validation at the boundary: every calendar that reaches the arithmetic passed here.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
/** ISO weekday as a JSON object key: '1' is Monday, '7' is Sunday. */
export type Weekday = (typeof WEEKDAYS)[number];

export interface Hours {
  /** Local time `HH:MM`, 00:00–23:59. */
  open: string;
  /** Local time `HH:MM` after `open`; `24:00` is the end of the day. */
  close: string;
}
export interface SpecialDay {
  /** Local date `YYYY-MM-DD` in the calendar's zone. */
  date: string;
  name?: string;
  hours?: Hours[];
}
export interface CalendarSpec {
  timeZone: string;
  /** A missing or empty day is closed. */
  weekly: Partial<Record<Weekday, Hours[]>>;
  /** Closed all day, or open only the given `hours`. */
  holidays: SpecialDay[];
  /** Worked on a day that is otherwise closed: the given `hours`, or Monday's hours. */
  extraWorkdays: SpecialDay[];
}

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);
export const timeZone = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or Europe/London');

const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM between 00:00 and 24:00');
const hours = z
  .object({ open: time, close: time })
  .strict()
  .refine((h) => h.open < h.close, 'open must be before close');
/** One day's intervals: sorted and disjoint, so an admin sees what they meant, not a silent merge. */
const dayHours = z
  .array(hours)
  .max(12)
  .refine((list) => {
    const sorted = [...list].sort((a, b) => a.open.localeCompare(b.open));
    return sorted.every((h, i) => i === 0 || (sorted[i - 1] as Hours).close <= h.open);
  }, 'intervals of one day must not overlap');

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'must be a real date');
const specialDay = z
  .object({
    date,
    name: z.string().trim().max(200).optional(),
    hours: dayHours.refine((l) => l.length > 0, 'give at least one interval, or leave hours out').optional(),
  })
  .strict();
const uniqueDates = (days: SpecialDay[]) => new Set(days.map((d) => d.date)).size === days.length;

const day = dayHours.default([]);
const weekly = z
  .object({ '1': day, '2': day, '3': day, '4': day, '5': day, '6': day, '7': day })
  .strict('weekday keys are 1 (Monday) to 7 (Sunday)');

/** Every field of a calendar; a create sends them all (with defaults), an update any of them. */
export const CalendarFields = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone,
  weekly: weekly.default({}),
  holidays: z.array(specialDay).max(1000).refine(uniqueDates, 'one entry per date').default([]),
  extraWorkdays: z.array(specialDay).max(1000).refine(uniqueDates, 'one entry per date').default([]),
});

/** A whole calendar, checked across fields: a date is a holiday or a make-up workday, not both. */
export const CalendarInput = CalendarFields.strict().superRefine((c, ctx) => {
  const holidays = new Set(c.holidays.map((h) => h.date));
  c.extraWorkdays.forEach((d, i) => {
    if (holidays.has(d.date))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['extraWorkdays', i, 'date'],
        message: `${d.date} is also a holiday`,
      });
  });
});
export type CalendarInput = z.output<typeof CalendarInput>;
