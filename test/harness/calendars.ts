/**
 * Real calendars built around the test's own now: the service opened two hours ago and
 * closed an hour ago, so it is closed now and opens again on a later day at a known instant.
 * The zone is a fixed-offset one in which it is now about noon, so no day boundary falls
 * inside the hours whatever the machine's clock says.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Hours } from '../../server/calendar/spec';
import { api, type TestGateway } from './gateway';

export interface ClosedCalendar {
  timeZone: string;
  /** Today's hours, already over. */
  hours: Hours;
  /** The local date `days` after today. */
  date(days: number): string;
  /** ISO weekday key of the local date `days` after today. */
  weekday(days: number): string;
  /** The instant the hours begin on the local date `days` after today. */
  opening(days: number): Date;
}

export function closedSinceAnHour(now = new Date()): ClosedCalendar {
  const offset = 12 - now.getUTCHours(); // −11…+12 hours, all real Etc zones
  const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const hhmm = (d: DateTime) => d.toFormat('HH:mm');
  const open = local.minus({ hours: 2 }).startOf('minute');
  const hours = { open: hhmm(open), close: hhmm(local.minus({ hours: 1 }).startOf('minute')) };
  const day = (days: number) => local.startOf('day').plus({ days });
  return {
    timeZone,
    hours,
    date: (days) => day(days).toISODate() as string,
    weekday: (days) => String(day(days).weekday),
    opening: (days) => day(days).set({ hour: open.hour, minute: open.minute }).toJSDate(),
  };
}

/** Every weekday with the same hours. */
export const everyDay = (hours: Hours) =>
  Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [hours]]));

/**
 * Gives an inbox a stored calendar through the admin API: closed now (opened two hours ago,
 * closed an hour ago, the same hours every day) or open all day. Answers the next opening.
 */
export async function assignCalendar(
  gw: Pick<TestGateway, 'url'>,
  adminToken: string,
  inboxId: string,
  state: 'closed' | 'open',
): Promise<{ opening: Date; timeZone: string }> {
  const cal = closedSinceAnHour();
  const hours = state === 'closed' ? cal.hours : { open: '00:00', close: '24:00' };
  const saved = await api<{ calendar: { id: string } }>(gw.url, adminToken, 'POST', '/calendars', {
    name: `${state}-${randomUUID().slice(0, 8)}`,
    timeZone: cal.timeZone,
    weekly: everyDay(hours),
  });
  if (saved.status !== 201) throw new Error(`calendar: ${saved.status} ${JSON.stringify(saved.body)}`);
  const patched = await api(gw.url, adminToken, 'PATCH', `/inboxes/${inboxId}`, {
    calendarId: saved.body.calendar.id,
  });
  if (patched.status !== 200) throw new Error(`inbox: ${patched.status} ${JSON.stringify(patched.body)}`);
  return { opening: state === 'closed' ? cal.opening(1) : new Date(), timeZone: cal.timeZone };
}
