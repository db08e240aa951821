/**
 * Clock math, the same for every clock of the catalogue: deadlines and warning points in
 * calendar or business time, measurement, the earliest pending point of a conversation's
 * clocks, and attainment. Pure functions, unit-tested.
 */
import type { WorkingTime } from '../calendar/working-time';
import type { Clock, RunningClocks } from '../domain/conversation';
import { CLOCK_KINDS, type ClockKind } from '../domain/types';

export interface ClockTarget {
  ms: number;
  businessHours: boolean;
  /** The policy rule the target came from. */
  source: string | null;
}

/** Deadline and warning point from `startedAt`; business-time targets skip the calendar's closed periods. */
function points(startedAt: Date, t: ClockTarget, warnRatio: number, wt: WorkingTime) {
  const warnMs = Math.floor(t.ms * warnRatio);
  if (!t.businessHours)
    return { dueAt: new Date(startedAt.getTime() + t.ms), warnAt: new Date(startedAt.getTime() + warnMs) };
  return { dueAt: wt.addBusinessMs(startedAt, t.ms), warnAt: wt.addBusinessMs(startedAt, warnMs) };
}

export function startClock(startedAt: Date, t: ClockTarget, warnRatio: number, wt: WorkingTime): Clock {
  return {
    startedAt,
    ...points(startedAt, t, warnRatio, wt),
    targetMs: t.ms,
    warnedAt: null,
    breachedAt: null,
    businessHours: t.businessHours,
    policy: t.source,
  };
}

/** The same run of a clock (same start, same warnings and breach so far) measured against a new target. */
export function retargetClock(clock: Clock, t: ClockTarget, warnRatio: number, wt: WorkingTime): Clock {
  const startedAt = new Date(clock.startedAt);
  return {
    ...clock,
    ...points(startedAt, t, warnRatio, wt),
    targetMs: t.ms,
    businessHours: t.businessHours,
    policy: t.source,
  };
}

export const sameTarget = (c: Clock, t: ClockTarget) =>
  c.targetMs === t.ms && Boolean(c.businessHours) === t.businessHours;

/** Elapsed time (open time for a business-hours clock) and whether the clock met its target when stopped at `at`. */
export function measure(clock: Clock, at: Date, wt: WorkingTime): { elapsedMs: number; met: boolean } {
  const start = new Date(clock.startedAt);
  const elapsedMs = clock.businessHours
    ? wt.businessMsBetween(start, at)
    : Math.max(0, at.getTime() - start.getTime());
  return { elapsedMs, met: clock.breachedAt === null && at.getTime() <= new Date(clock.dueAt).getTime() };
}

export function remainingMs(clock: Clock, now: Date): number {
  return new Date(clock.dueAt).getTime() - now.getTime();
}

/** Identity of one run of a clock: timers, measurements and once-only events are keyed by it. */
export function clockRunId(conversationId: string, kind: ClockKind, clock: Pick<Clock, 'startedAt'>): string {
  return `${conversationId}:${kind}:${new Date(clock.startedAt).getTime()}`;
}

/** The next point a clock still has to act on: its warning, then its deadline; none once breached. */
export function pendingPoint(c: Clock): { what: 'warning' | 'breach'; at: Date } | null {
  if (c.breachedAt) return null;
  if (!c.warnedAt && new Date(c.warnAt) < new Date(c.dueAt))
    return { what: 'warning', at: new Date(c.warnAt) };
  return { what: 'breach', at: new Date(c.dueAt) };
}

export type ConversationPoint = 'warning' | 'breach' | 'escalation';

/** A conversation clock's next point: a breach whose escalation is unfinished stays due until it is done. */
function conversationPoint(c: Clock): { what: ConversationPoint; at: Date } | null {
  if (c.breachedAt && c.escalating) return { what: 'escalation', at: new Date(c.breachedAt) };
  return pendingPoint(c);
}

/** The earliest pending point over a conversation's running clocks: the one indexed field the sweep queries. */
export function nextClockAt(clocks: RunningClocks | undefined): Date | null {
  let next: Date | null = null;
  for (const k of CLOCK_KINDS) {
    const c = clocks?.[k];
    const p = c ? conversationPoint(c) : null;
    if (p && (!next || p.at < next)) next = p.at;
  }
  return next;
}

/** The clock of `kind` whose pending point has come at `now`, if any, earliest first. */
export function duePoint(
  clocks: RunningClocks | undefined,
  now: Date,
): { kind: ClockKind; clock: Clock; what: ConversationPoint } | null {
  let best: { kind: ClockKind; clock: Clock; what: ConversationPoint; at: Date } | null = null;
  for (const kind of CLOCK_KINDS) {
    const clock = clocks?.[kind];
    const p = clock ? conversationPoint(clock) : null;
    if (clock && p && p.at <= now && (!best || p.at < best.at)) best = { kind, clock, ...p };
  }
  return best && { kind: best.kind, clock: best.clock, what: best.what };
}

/**
 * When a reply clock starts: at the first unanswered customer message, but never
 * before the conversation was picked up (the promise holds once an agent holds it).
 */
export function replyClockStart(firstUnansweredAt: Date, pickedUpAt: Date | null): Date {
  if (!pickedUpAt) return firstUnansweredAt;
  return firstUnansweredAt.getTime() > pickedUpAt.getTime() ? firstUnansweredAt : pickedUpAt;
}

export function attainment(met: number, total: number): number | null {
  return total === 0 ? null : met / total;
}
