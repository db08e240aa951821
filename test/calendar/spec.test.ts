/** What an admin may save as a calendar, and the reason given when it is refused. */
import { CalendarInput } from '../../server/calendar/spec';
import { ConfigError, loadConfig } from '../../server/config';

const base = { name: 'Office', timeZone: 'Europe/London' };
const reasons = (input: unknown) => {
  const r = CalendarInput.safeParse(input);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

it('fills every weekday, closed unless given, and empty holiday lists', () => {
  const c = CalendarInput.parse({ ...base, weekly: { '1': [{ open: '09:00', close: '24:00' }] } });
  expect(c.weekly).toEqual({
    '1': [{ open: '09:00', close: '24:00' }],
    '2': [],
    '3': [],
    '4': [],
    '5': [],
    '6': [],
    '7': [],
  });
  expect(c.holidays).toEqual([]);
  expect(c.extraWorkdays).toEqual([]);
});

it('keeps holidays with and without special hours, and make-up workdays', () => {
  const c = CalendarInput.parse({
    ...base,
    holidays: [
      { date: '2026-12-25', name: 'Christmas' },
      { date: '2026-12-24', hours: [{ open: '09:00', close: '13:00' }] },
    ],
    extraWorkdays: [{ date: '2026-09-20' }],
  });
  expect(c.holidays[0]).toEqual({ date: '2026-12-25', name: 'Christmas' });
  expect(c.holidays[1]?.hours).toEqual([{ open: '09:00', close: '13:00' }]);
  expect(c.extraWorkdays).toEqual([{ date: '2026-09-20' }]);
});

it.each<[string, Record<string, unknown>, RegExp]>([
  ['an unknown zone', { timeZone: 'Mars/Olympus' }, /^timeZone: must be an IANA time zone/],
  ['a missing name', { name: '' }, /^name:/],
  [
    'an hour past 24:00',
    { weekly: { '1': [{ open: '09:00', close: '25:00' }] } },
    /weekly\.1\.0\.close: must be HH:MM/,
  ],
  [
    'a time without minutes',
    { weekly: { '1': [{ open: '9', close: '17:00' }] } },
    /weekly\.1\.0\.open: must be HH:MM/,
  ],
  [
    'a close before the open',
    { weekly: { '2': [{ open: '17:00', close: '09:00' }] } },
    /weekly\.2\.0: open must be before close/,
  ],
  [
    'an opening at 24:00',
    { weekly: { '2': [{ open: '24:00', close: '24:00' }] } },
    /open must be before close/,
  ],
  [
    'overlapping intervals',
    {
      weekly: {
        '3': [
          { open: '09:00', close: '13:00' },
          { open: '12:00', close: '18:00' },
        ],
      },
    },
    /weekly\.3: intervals of one day must not overlap/,
  ],
  ['weekday 8', { weekly: { '8': [] } }, /weekly: weekday keys are 1 \(Monday\) to 7 \(Sunday\)/],
  ['weekday 0', { weekly: { '0': [] } }, /weekday keys are 1/],
  ['an unknown field', { holiday: [] }, /Unrecognized key/],
  [
    'a day that does not exist',
    { holidays: [{ date: '2026-02-30' }] },
    /holidays\.0\.date: must be a real date/,
  ],
  [
    'a date in another format',
    { holidays: [{ date: '25/12/2026' }] },
    /holidays\.0\.date: must be a date YYYY-MM-DD/,
  ],
  [
    'the same holiday twice',
    { holidays: [{ date: '2026-12-25' }, { date: '2026-12-25' }] },
    /holidays: one entry per date/,
  ],
  [
    'empty special hours',
    { extraWorkdays: [{ date: '2026-09-20', hours: [] }] },
    /extraWorkdays\.0\.hours: give at least one/,
  ],
  [
    'a date both holiday and workday',
    { holidays: [{ date: '2026-10-01' }], extraWorkdays: [{ date: '2026-10-01' }] },
    /extraWorkdays\.0\.date: 2026-10-01 is also a holiday/,
  ],
])('refuses %s with a reason', (_what, change, reason) => {
  expect(reasons({ ...base, ...change })).toMatch(reason);
});

describe('DEFAULT_TIME_ZONE', () => {
  const secret = { AUTH_SECRET: 'x'.repeat(32) };
  it('defaults to Asia/Shanghai and accepts any IANA zone', () => {
    expect(loadConfig(secret).defaultTimeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ ...secret, DEFAULT_TIME_ZONE: 'America/New_York' }).defaultTimeZone).toBe(
      'America/New_York',
    );
  });
  it('refuses a zone that is not IANA, naming the variable', () => {
    expect(() => loadConfig({ ...secret, DEFAULT_TIME_ZONE: 'Beijing' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secret, DEFAULT_TIME_ZONE: 'Beijing' })).toThrow(/DEFAULT_TIME_ZONE/);
  });
});
