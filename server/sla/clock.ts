/**
 * Clock math for the pickup and reply clocks: targets per inbox and channel,
 * deadlines, warning points and attainment. Pure functions, unit-tested.
 */
import type { SlaDefaults } from '../config';
import type { Clock } from '../domain/conversation';
import type { SlaPolicy } from '../domain/inbox';
import type { ChannelKind, ClockKind } from '../domain/types';

/** The inbox's own target when set, else the channel default (email's are hours, live channels' minutes and seconds). */
export function targetFor(clock: ClockKind, channel: ChannelKind, policy: SlaPolicy, d: SlaDefaults): number {
  const own = clock === 'pickup' ? policy.pickupTargetMs : policy.replyTargetMs;
  if (own !== undefined && own !== null) return own;
  if (channel === 'email') return clock === 'pickup' ? d.emailPickupTargetMs : d.emailReplyTargetMs;
  return clock === 'pickup' ? d.pickupTargetMs : d.replyTargetMs;
}

export function startClock(startedAt: Date, targetMs: number, warnRatio: number): Clock {
  return {
    startedAt,
    dueAt: new Date(startedAt.getTime() + targetMs),
    warnAt: new Date(startedAt.getTime() + Math.floor(targetMs * warnRatio)),
    targetMs,
    warnedAt: null,
    breachedAt: null,
  };
}

/** Elapsed time and whether the clock met its target when stopped at `at`. */
export function measure(clock: Clock, at: Date): { elapsedMs: number; met: boolean } {
  const elapsedMs = Math.max(0, at.getTime() - new Date(clock.startedAt).getTime());
  return { elapsedMs, met: clock.breachedAt === null && at.getTime() <= new Date(clock.dueAt).getTime() };
}

export function remainingMs(clock: Clock, now: Date): number {
  return new Date(clock.dueAt).getTime() - now.getTime();
}

/** Identity of one run of a clock: timers and once-only events are keyed by it. */
export function clockRunId(conversationId: string, kind: ClockKind, clock: Clock): string {
  return `${conversationId}:${kind}:${new Date(clock.startedAt).getTime()}`;
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
