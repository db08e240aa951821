/** Clock math: deadlines in calendar and business time, warnings, measurement, the next pending point, attainment. */
import { ALWAYS_OPEN } from '../../server/calendar/working-time';
import type { Clock } from '../../server/domain/conversation';
import {
  attainment,
  clockRunId,
  duePoint,
  measure,
  nextClockAt,
  remainingMs,
  replyClockStart,
  retargetClock,
  startClock,
} from '../../server/sla/clock';
import { closedUntil } from '../harness/working-time';

const calendar = (ms: number) => ({ ms, businessHours: false, source: 'default:general' });

describe('a running clock', () => {
  const start = new Date('2026-01-01T10:00:00.000Z');
  const clock = startClock(start, calendar(20_000), 0.75, ALWAYS_OPEN);

  it('is due at start + target and warns at the warning ratio', () => {
    expect(clock.dueAt.toISOString()).toBe('2026-01-01T10:00:20.000Z');
    expect(clock.warnAt.toISOString()).toBe('2026-01-01T10:00:15.000Z');
    expect(clock).toMatchObject({ businessHours: false, policy: 'default:general' });
    expect(remainingMs(clock, new Date('2026-01-01T10:00:05.000Z'))).toBe(15_000);
  });
  it('is met when stopped at or before the deadline, missed after it', () => {
    expect(measure(clock, new Date('2026-01-01T10:00:20.000Z'), ALWAYS_OPEN)).toEqual({
      elapsedMs: 20_000,
      met: true,
    });
    expect(measure(clock, new Date('2026-01-01T10:00:20.001Z'), ALWAYS_OPEN)).toEqual({
      elapsedMs: 20_001,
      met: false,
    });
  });
  it('is never met once breached, even if stopped early by the clock of another process', () => {
    const breached = { ...clock, breachedAt: new Date('2026-01-01T10:00:20.000Z') };
    expect(measure(breached, new Date('2026-01-01T10:00:10.000Z'), ALWAYS_OPEN).met).toBe(false);
  });
  it('has an identity per run, so timers and breach records are once per run', () => {
    expect(clockRunId('c1', 'reply', clock)).toBe(`c1:reply:${start.getTime()}`);
  });
  it('keeps its start and what already happened when re-targeted', () => {
    const warned = { ...clock, warnedAt: new Date('2026-01-01T10:00:15.000Z') };
    const longer = retargetClock(warned, calendar(60_000), 0.75, ALWAYS_OPEN);
    expect(longer).toMatchObject({ startedAt: start, targetMs: 60_000, warnedAt: warned.warnedAt });
    expect(longer.dueAt.toISOString()).toBe('2026-01-01T10:01:00.000Z');
  });
});

describe('a business-time clock', () => {
  const start = new Date('2026-01-03T20:00:00.000Z');
  const opens = new Date('2026-01-05T09:00:00.000Z');
  const wt = closedUntil(opens);
  const clock = startClock(start, { ms: 4 * 3600_000, businessHours: true, source: 'r1' }, 0.5, wt);

  it('does not run while closed: its deadline is the opening plus the target', () => {
    expect(clock.dueAt.toISOString()).toBe('2026-01-05T13:00:00.000Z');
    expect(clock.warnAt.toISOString()).toBe('2026-01-05T11:00:00.000Z');
  });
  it('measures open time only', () => {
    expect(measure(clock, new Date('2026-01-05T10:00:00.000Z'), wt)).toEqual({
      elapsedMs: 3600_000,
      met: true,
    });
  });
});

describe("a conversation's next clock point", () => {
  const at = (s: string) => new Date(`2026-01-01T10:00:${s}.000Z`);
  const c = (warnAt: string, dueAt: string, over: Partial<Clock> = {}): Clock => ({
    startedAt: at('00'),
    warnAt: at(warnAt),
    dueAt: at(dueAt),
    targetMs: 1,
    warnedAt: null,
    breachedAt: null,
    businessHours: false,
    policy: null,
    ...over,
  });

  it('is the earliest warning or deadline still pending over every running clock', () => {
    const clocks = { pickup: c('30', '40'), reply: c('15', '20'), resolution: null };
    expect(nextClockAt(clocks)).toEqual(at('15'));
    expect(nextClockAt({ ...clocks, reply: c('15', '20', { warnedAt: at('15') }) })).toEqual(at('20'));
    expect(nextClockAt({ reply: c('15', '20', { breachedAt: at('20') }) })).toBeNull();
    expect(nextClockAt({})).toBeNull();
  });
  it('names the point that has come, earliest first', () => {
    const clocks = { pickup: c('05', '10'), reply: c('15', '20') };
    expect(duePoint(clocks, at('04'))).toBeNull();
    expect(duePoint(clocks, at('16'))).toMatchObject({ kind: 'pickup', what: 'warning' });
    expect(duePoint({ pickup: c('05', '10', { warnedAt: at('05') }) }, at('16'))).toMatchObject({
      kind: 'pickup',
      what: 'breach',
    });
  });
});

describe('reply clock start', () => {
  it('starts at the unanswered message when the conversation was already picked up', () => {
    const picked = new Date('2026-01-01T10:00:00Z');
    const msg = new Date('2026-01-01T10:01:00Z');
    expect(replyClockStart(msg, picked)).toEqual(msg);
  });
  it('starts at pickup for messages that were waiting in the queue', () => {
    const msg = new Date('2026-01-01T10:00:00Z');
    const picked = new Date('2026-01-01T10:03:00Z');
    expect(replyClockStart(msg, picked)).toEqual(picked);
  });
});

describe('attainment', () => {
  it('is the share of clocks stopped within target, and undefined without clocks', () => {
    expect(attainment(9, 10)).toBe(0.9);
    expect(attainment(0, 0)).toBeNull();
  });
});
