/** Clock math: targets per inbox and channel, deadlines, warnings, measurement and attainment. */
import {
  attainment,
  clockRunId,
  measure,
  remainingMs,
  replyClockStart,
  startClock,
  targetFor,
} from '../../server/sla/clock';

const defaults = {
  pickupTargetMs: 300_000,
  replyTargetMs: 20_000,
  emailPickupTargetMs: 4 * 3600_000,
  emailReplyTargetMs: 24 * 3600_000,
  warnRatio: 0.75,
  sweepIntervalMs: 500,
  replyBreachesBeforeRequeue: 2,
};

describe('targets', () => {
  it('defaults live channels to pickup in 5 minutes and reply in 20 seconds', () => {
    for (const ch of ['webchat', 'sms', 'telegram'] as const) {
      expect(targetFor('pickup', ch, {}, defaults)).toBe(300_000);
      expect(targetFor('reply', ch, {}, defaults)).toBe(20_000);
    }
  });
  it('defaults email to acknowledge in 4 hours and reply in 24 hours', () => {
    expect(targetFor('pickup', 'email', {}, defaults)).toBe(4 * 3600_000);
    expect(targetFor('reply', 'email', {}, defaults)).toBe(24 * 3600_000);
  });
  it('uses the inbox policy when it sets a target', () => {
    expect(targetFor('pickup', 'webchat', { pickupTargetMs: 60_000 }, defaults)).toBe(60_000);
    expect(targetFor('reply', 'email', { replyTargetMs: 3600_000 }, defaults)).toBe(3600_000);
    expect(targetFor('reply', 'webchat', { pickupTargetMs: 60_000 }, defaults)).toBe(20_000);
  });
});

describe('a running clock', () => {
  const start = new Date('2026-01-01T10:00:00.000Z');
  const clock = startClock(start, 20_000, 0.75);

  it('is due at start + target and warns at the warning ratio', () => {
    expect(clock.dueAt.toISOString()).toBe('2026-01-01T10:00:20.000Z');
    expect(clock.warnAt.toISOString()).toBe('2026-01-01T10:00:15.000Z');
    expect(remainingMs(clock, new Date('2026-01-01T10:00:05.000Z'))).toBe(15_000);
  });
  it('is met when stopped at or before the deadline, missed after it', () => {
    expect(measure(clock, new Date('2026-01-01T10:00:20.000Z'))).toEqual({ elapsedMs: 20_000, met: true });
    expect(measure(clock, new Date('2026-01-01T10:00:20.001Z'))).toEqual({ elapsedMs: 20_001, met: false });
  });
  it('is never met once breached, even if stopped early by the clock of another process', () => {
    expect(
      measure(
        { ...clock, breachedAt: new Date('2026-01-01T10:00:20.000Z') },
        new Date('2026-01-01T10:00:10.000Z'),
      ).met,
    ).toBe(false);
  });
  it('has an identity per run, so timers and breach records are once per run', () => {
    expect(clockRunId('c1', 'reply', clock)).toBe(`c1:reply:${start.getTime()}`);
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
