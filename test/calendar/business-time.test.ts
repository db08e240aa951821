/**
 * Business time: deadlines and elapsed open time across nights, weekends, holidays, make-up
 * workdays and DST changes. Expected instants are written out with their offsets.
 */
import { describeCalendar, HORIZON_DAYS, workingTime } from '../../server/calendar/business-time';
import { CalendarNeverOpens } from '../../server/calendar/errors';
import type { CalendarSpec, Hours } from '../../server/calendar/spec';

const H = 3600_000;
const at = (iso: string) => new Date(iso);
const workweek = (hours: Hours[]) => ({ '1': hours, '2': hours, '3': hours, '4': hours, '5': hours });
const allWeek = (hours: Hours[]) => ({ ...workweek(hours), '6': hours, '7': hours });

const london: CalendarSpec = {
  timeZone: 'Europe/London',
  weekly: workweek([{ open: '09:00', close: '17:00' }]),
  holidays: [
    { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '13:00' }] },
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2026-12-28', name: 'Boxing Day (substitute)' },
  ],
  extraWorkdays: [],
};
const londonAllHours: CalendarSpec = {
  timeZone: 'Europe/London',
  weekly: allWeek([{ open: '00:00', close: '24:00' }]),
  holidays: [],
  extraWorkdays: [],
};
/** A night desk on Sundays, to land on both New York DST changes (2026-03-08 and 2026-11-01). */
const newYorkNights: CalendarSpec = {
  timeZone: 'America/New_York',
  weekly: { '7': [{ open: '00:00', close: '03:00' }] },
  holidays: [{ date: '2026-03-08', name: 'Short night', hours: [{ open: '01:00', close: '03:00' }] }],
  extraWorkdays: [],
};
const newYorkOffice: CalendarSpec = {
  timeZone: 'America/New_York',
  weekly: { ...workweek([{ open: '09:00', close: '17:00' }]), '7': [{ open: '02:30', close: '04:00' }] },
  holidays: [],
  extraWorkdays: [],
};
/** A National Day week in the Chinese style: seven days off, two weekend days worked in exchange. */
const shanghai: CalendarSpec = {
  timeZone: 'Asia/Shanghai',
  weekly: workweek([
    { open: '09:00', close: '12:00' },
    { open: '13:00', close: '18:00' },
  ]),
  holidays: ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
    date: `2026-10-${d}`,
    name: 'National Day',
  })),
  extraWorkdays: [
    { date: '2026-09-20', name: 'Make-up workday' },
    { date: '2026-10-10', name: 'Make-up workday', hours: [{ open: '10:00', close: '16:00' }] },
  ],
};
const neverOpen: CalendarSpec = { timeZone: 'UTC', weekly: {}, holidays: [], extraWorkdays: [] };

const CALENDARS = { london, londonAllHours, newYorkNights, newYorkOffice, shanghai } as const;
type Name = keyof typeof CALENDARS;
const time = (name: Name) => workingTime(CALENDARS[name]);

describe('whether the service is open', () => {
  it.each<[Name, string, boolean, string]>([
    ['london', '2026-03-02T10:00:00Z', true, 'a Monday morning'],
    ['london', '2026-03-02T08:59:59Z', false, 'a minute before opening'],
    ['london', '2026-03-02T09:00:00Z', true, 'at opening time'],
    ['london', '2026-03-02T17:00:00Z', false, 'at closing time (the close is exclusive)'],
    ['london', '2026-03-07T12:00:00Z', false, 'on a Saturday'],
    ['london', '2026-12-25T10:00:00Z', false, 'on a holiday closed all day'],
    ['london', '2026-12-24T12:30:00Z', true, 'inside the special hours of a holiday'],
    ['london', '2026-12-24T14:00:00Z', false, 'after the special hours of a holiday'],
    ['london', '2026-07-01T08:30:00Z', true, 'at 09:30 British Summer Time'],
    ['shanghai', '2026-09-20T02:00:00Z', true, "on a make-up Sunday, with Monday's hours"],
    ['shanghai', '2026-09-30T04:30:00Z', false, 'in the lunch break'],
    ['shanghai', '2026-10-05T02:00:00Z', false, 'in the National Day week'],
    ['shanghai', '2026-10-10T01:30:00Z', false, 'on a make-up Saturday before its own hours'],
    ['shanghai', '2026-10-10T02:30:00Z', true, 'on a make-up Saturday inside its own hours'],
    ['londonAllHours', '2026-03-29T01:30:00Z', true, 'around the clock across the change to summer time'],
  ])('%s at %s is %s (%s)', (name, instant, open) => {
    expect(time(name).isOpen(at(instant))).toBe(open);
  });
});

describe('the next opening', () => {
  it.each<[Name, string, string, string]>([
    ['london', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', 'while open: now'],
    ['london', '2026-03-06T17:00:00Z', '2026-03-09T09:00:00Z', 'from Friday closing: Monday'],
    ['london', '2026-03-02T03:00:00Z', '2026-03-02T09:00:00Z', 'at night: the same morning'],
    ['london', '2026-12-24T13:00:00Z', '2026-12-29T09:00:00Z', 'over Christmas and the weekend'],
    ['london', '2026-03-27T17:00:00Z', '2026-03-30T09:00+01:00', 'over the change to summer time'],
    ['shanghai', '2026-09-30T10:00:00Z', '2026-10-08T09:00+08:00', 'after the National Day week'],
    ['shanghai', '2026-09-19T04:00:00Z', '2026-09-20T09:00+08:00', 'on the make-up Sunday'],
    [
      'newYorkOffice',
      '2026-03-08T05:00:00Z',
      '2026-03-08T03:30-04:00',
      'a 02:30 that does not exist moves forward',
    ],
  ])('%s from %s is %s (%s)', (name, from, expected) => {
    expect(time(name).nextOpening(at(from))).toEqual(at(expected));
  });

  it('is null for a calendar that never opens, or opens only beyond the horizon', () => {
    expect(workingTime(neverOpen).nextOpening(at('2026-01-01T00:00:00Z'))).toBeNull();
    const far = {
      ...neverOpen,
      holidays: [{ date: '2031-01-01', hours: [{ open: '09:00', close: '10:00' }] }],
    };
    expect(workingTime(far).nextOpening(at('2026-01-01T00:00:00Z'))).toBeNull();
    expect(workingTime(far).nextOpening(at('2030-06-01T00:00:00Z'))).toEqual(at('2031-01-01T09:00:00Z'));
  });
});

describe('a deadline counted in business time', () => {
  it.each<[Name, string, number, string, string]>([
    ['london', '2026-03-02T10:00:00Z', 2 * H, '2026-03-02T12:00:00Z', 'inside the day'],
    ['london', '2026-03-02T16:00:00Z', 1 * H, '2026-03-02T17:00:00Z', 'ending exactly at closing time'],
    ['london', '2026-03-02T16:00:00Z', 2 * H, '2026-03-03T10:00:00Z', 'across the night'],
    ['london', '2026-03-06T16:00:00Z', 2 * H, '2026-03-09T10:00:00Z', 'across the weekend'],
    ['london', '2026-03-07T12:00:00Z', 1 * H, '2026-03-09T10:00:00Z', 'starting on a Saturday'],
    ['london', '2026-03-02T09:00:00Z', 48 * H, '2026-03-09T17:00:00Z', '48 hours: six working days'],
    ['london', '2026-12-24T12:00:00Z', 2 * H, '2026-12-29T10:00:00Z', 'special hours, holidays, weekend'],
    ['london', '2026-03-27T16:00:00Z', 2 * H, '2026-03-30T10:00+01:00', 'into summer time'],
    ['london', '2026-10-23T16:00+01:00', 2 * H, '2026-10-26T10:00:00Z', 'back to winter time'],
    [
      'londonAllHours',
      '2026-03-28T12:00:00Z',
      24 * H,
      '2026-03-29T13:00+01:00',
      'around the clock: real hours',
    ],
    [
      'newYorkNights',
      '2026-03-08T05:00:00Z',
      1 * H,
      '2026-03-08T03:00-04:00',
      'the 1-hour 01:00–03:00 of spring',
    ],
    ['newYorkNights', '2026-03-08T05:00:00Z', 2 * H, '2026-03-15T01:00-04:00', 'then the next Sunday'],
    [
      'newYorkNights',
      '2026-11-01T00:00-04:00',
      4 * H,
      '2026-11-01T03:00-05:00',
      'the 4-hour 00:00–03:00 of autumn',
    ],
    ['shanghai', '2026-09-28T11:30+08:00', 1 * H, '2026-09-28T13:30+08:00', 'over the lunch break'],
    ['shanghai', '2026-09-30T17:00+08:00', 2 * H, '2026-10-08T10:00+08:00', 'over the National Day week'],
    ['shanghai', '2026-10-09T17:00+08:00', 2 * H, '2026-10-10T11:00+08:00', 'onto a make-up Saturday'],
    ['shanghai', '2026-09-18T17:30+08:00', 1 * H, '2026-09-20T09:30+08:00', 'onto a make-up Sunday'],
  ])('%s from %s + %d ms is %s (%s)', (name, start, ms, expected) => {
    expect(time(name).addBusinessMs(at(start), ms)).toEqual(at(expected));
  });

  it('is the start itself for zero ms, open or closed', () => {
    for (const instant of ['2026-03-02T10:00:00Z', '2026-03-07T12:00:00Z'])
      expect(time('london').addBusinessMs(at(instant), 0)).toEqual(at(instant));
  });

  it('jumps a year-long gap, and counts ten years of business time, by days', () => {
    const onceAYear: CalendarSpec = {
      ...neverOpen,
      timeZone: 'Asia/Shanghai',
      extraWorkdays: [{ date: '2027-01-04', hours: [{ open: '09:00', close: '10:00' }] }],
    };
    const from = at('2026-01-05T00:00:00Z');
    expect(workingTime(onceAYear).nextOpening(from)).toEqual(at('2027-01-04T09:00+08:00'));
    expect(workingTime(onceAYear).addBusinessMs(from, H / 2)).toEqual(at('2027-01-04T09:30+08:00'));
    const tenYears = 10 * 52 * 40 * H;
    const start = at('2026-03-02T09:00:00Z');
    expect(time('london').businessMsBetween(start, time('london').addBusinessMs(start, tenYears))).toBe(
      tenYears,
    );
  });

  it('throws CalendarNeverOpens on a calendar with no hours, and refuses negative ms', () => {
    const never = workingTime(neverOpen);
    expect(() => never.addBusinessMs(at('2026-01-01T00:00:00Z'), 1)).toThrow(CalendarNeverOpens);
    expect(() => time('london').addBusinessMs(at('2026-01-01T00:00:00Z'), -1)).toThrow(RangeError);
    expect(() => time('london').addBusinessMs(at('2026-01-01T00:00:00Z'), 0.5)).toThrow(RangeError);
    expect(HORIZON_DAYS).toBeGreaterThanOrEqual(3 * 365);
  });
});

describe('business time elapsed between two instants', () => {
  it.each<[Name, string, string, number, string]>([
    ['london', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', 0, 'the same instant'],
    ['london', '2026-03-03T10:00:00Z', '2026-03-02T10:00:00Z', 0, 'an end before the start'],
    ['london', '2026-03-06T17:00:00Z', '2026-03-09T09:00:00Z', 0, 'a whole weekend'],
    ['london', '2026-03-06T16:00:00Z', '2026-03-09T10:00:00Z', 2 * H, 'across the weekend'],
    ['london', '2026-03-02T07:00:00Z', '2026-03-02T20:00:00Z', 8 * H, 'starting and ending outside hours'],
    ['london', '2026-12-23T00:00:00Z', '2026-12-30T00:00:00Z', 20 * H, 'Christmas week'],
    ['londonAllHours', '2026-03-28T00:00:00Z', '2026-03-30T00:00+01:00', 47 * H, 'spring weekend: 47 h'],
    ['londonAllHours', '2026-10-24T00:00+01:00', '2026-10-26T00:00:00Z', 49 * H, 'autumn weekend: 49 h'],
    ['newYorkNights', '2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z', 1 * H, 'spring 01:00–03:00: 1 h'],
    ['newYorkNights', '2026-10-31T00:00:00Z', '2026-11-02T00:00:00Z', 4 * H, 'autumn 00:00–03:00: 4 h'],
    [
      'newYorkOffice',
      '2026-03-08T00:00:00Z',
      '2026-03-08T12:00:00Z',
      0.5 * H,
      'the spring 02:30–04:00: 30 min',
    ],
    ['shanghai', '2026-09-30T09:00+08:00', '2026-10-09T18:00+08:00', 24 * H, 'around the National Day week'],
    [
      'shanghai',
      '2026-09-19T00:00+08:00',
      '2026-09-21T00:00+08:00',
      8 * H,
      'a weekend with a make-up Sunday',
    ],
  ])('%s from %s to %s is %d ms (%s)', (name, from, to, expected) => {
    expect(time(name).businessMsBetween(at(from), at(to))).toBe(expected);
  });
});

describe('round trip: the open time up to a deadline is what was asked', () => {
  const starts = [
    '2026-03-02T10:00:00Z',
    '2026-03-07T12:00:00Z',
    '2026-03-08T06:30:00Z',
    '2026-03-27T16:59:59Z',
    '2026-09-30T17:00+08:00',
    '2026-10-25T00:30:00Z',
    '2026-11-01T05:30:00Z',
    '2026-12-24T12:00:00Z',
  ];
  const amounts = [0, 1, 59_999, H, 8 * H, 48 * H, 7 * 24 * H];
  it.each(Object.keys(CALENDARS) as Name[])('%s', (name) => {
    const wt = time(name);
    for (const start of starts)
      for (const ms of amounts)
        expect([start, ms, wt.businessMsBetween(at(start), wt.addBusinessMs(at(start), ms))]).toEqual([
          start,
          ms,
          ms,
        ]);
  });
});

describe('the calendar described to a customer', () => {
  it('says whether it is open, when it next opens, and the hours of every weekday', () => {
    const closed = describeCalendar(london, at('2026-03-07T12:00:00Z'));
    expect(closed).toEqual({
      open: false,
      nextOpeningAt: '2026-03-09T09:00:00.000Z',
      timeZone: 'Europe/London',
      weekly: { ...london.weekly, '6': [], '7': [] },
    });
    expect(describeCalendar(london, at('2026-03-09T09:30:00Z'))).toMatchObject({
      open: true,
      nextOpeningAt: '2026-03-09T09:30:00.000Z',
    });
    expect(describeCalendar(neverOpen, at('2026-03-09T09:30:00Z'))).toMatchObject({
      open: false,
      nextOpeningAt: null,
    });
  });
});
