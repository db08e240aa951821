/** Calendars over REST: the seeded standard hours, validation, inbox assignment, delete in use, status. */
import request from 'supertest';
import { CalendarStore, DEFAULT_CALENDAR_NAME } from '../../server/calendar/store';
import { ALWAYS_OPEN } from '../../server/calendar/working-time';
import { createAgent, createInbox, startGateway, suiteGateway } from '../harness/gateway';

const gw = suiteGateway({ env: { DEFAULT_TIME_ZONE: 'Europe/London' } });
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
let admin: string;
let agent: string;
beforeAll(async () => {
  admin = (await createAgent(gw, { role: 'admin' })).token;
  agent = (await createAgent(gw, { role: 'agent' })).token;
});

const nine = [{ open: '09:00', close: '17:00' }];
const office = (name: string) => ({
  name,
  timeZone: 'Asia/Shanghai',
  weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
  holidays: [{ date: '2026-10-01', name: 'National Day' }],
  extraWorkdays: [{ date: '2026-09-20' }],
});
const create = async (name: string) => {
  const res = await request(gw.url).post('/api/calendars').set(auth(admin)).send(office(name));
  expect(res.status).toBe(201);
  return res.body.calendar as { id: string; name: string };
};

describe('the standard calendar', () => {
  it('is created at start in DEFAULT_TIME_ZONE, Monday to Friday 09:00–18:00, once', async () => {
    const again = await startGateway({ dbName: gw.dbName, env: { DEFAULT_TIME_ZONE: 'Asia/Tokyo' } });
    await again.close();
    const res = await request(gw.url).get('/api/calendars').set(auth(agent));
    expect(res.status).toBe(200);
    const day = [{ open: '09:00', close: '18:00' }];
    expect(res.body.calendars).toEqual([
      expect.objectContaining({
        name: DEFAULT_CALENDAR_NAME,
        timeZone: 'Europe/London',
        weekly: { '1': day, '2': day, '3': day, '4': day, '5': day, '6': [], '7': [] },
        holidays: [],
        extraWorkdays: [],
      }),
    ]);
  });

  it('is created once by processes seeding at the same moment, and given to no inbox', async () => {
    const inbox = await createInbox(gw);
    await gw.models.Calendar.deleteMany({});
    const seeded = await Promise.all([1, 2, 3].map(() => new CalendarStore(gw.models).seedDefault('UTC')));
    expect(seeded.filter(Boolean)).toHaveLength(1);
    expect(await gw.models.Calendar.countDocuments({})).toBe(1);
    expect((await gw.models.Inbox.findById(inbox._id).lean())?.calendarId).toBeNull();
  });
});

describe('administration', () => {
  it('creates, reads, lists and updates a calendar; only admins change it', async () => {
    const cal = await create('Shanghai office');
    const sent = office('Shanghai office');
    expect(cal).toMatchObject({ ...sent, weekly: { ...sent.weekly, '6': [], '7': [] } });
    const one = await request(gw.url).get(`/api/calendars/${cal.id}`).set(auth(agent));
    expect(one.body.calendar).toEqual(cal);
    const list = await request(gw.url).get('/api/calendars').set(auth(agent));
    expect(list.body.calendars.map((c: { name: string }) => c.name)).toContain('Shanghai office');

    const patched = await request(gw.url)
      .patch(`/api/calendars/${cal.id}`)
      .set(auth(admin))
      .send({ weekly: { '6': nine }, holidays: [] });
    expect(patched.status).toBe(200);
    expect(patched.body.calendar).toMatchObject({
      name: 'Shanghai office',
      weekly: { '1': [], '6': nine },
      holidays: [],
    });
    expect(patched.body.calendar.extraWorkdays).toEqual([{ date: '2026-09-20' }]);

    expect((await request(gw.url).post('/api/calendars').set(auth(agent)).send(office('x'))).status).toBe(
      403,
    );
    expect((await request(gw.url).patch(`/api/calendars/${cal.id}`).set(auth(agent)).send({})).status).toBe(
      403,
    );
    expect((await request(gw.url).get('/api/calendars')).status).toBe(401);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown zone', { timeZone: 'Asia/Atlantis' }, /timeZone: must be an IANA time zone/],
    [
      'a close before the open',
      { weekly: { '1': [{ open: '18:00', close: '09:00' }] } },
      /open must be before close/,
    ],
    ['weekday 8', { weekly: { '8': nine } }, /weekday keys are 1 \(Monday\) to 7 \(Sunday\)/],
    ['a date that does not exist', { holidays: [{ date: '2026-13-01' }] }, /must be a real date/],
    [
      'a holiday that is also a workday',
      { holidays: [{ date: '2026-09-20' }] },
      /2026-09-20 is also a holiday/,
    ],
  ])('refuses %s with 400 and writes nothing', async (_what, change, reason) => {
    const before = await gw.models.Calendar.countDocuments({});
    const res = await request(gw.url)
      .post('/api/calendars')
      .set(auth(admin))
      .send({ ...office('Refused'), ...change });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(reason) });
    expect(await gw.models.Calendar.countDocuments({})).toBe(before);
  });

  it('refuses an invalid update as a whole, and a name already taken', async () => {
    const cal = await create('Night desk');
    await create('Day desk');
    const bad = await request(gw.url)
      .patch(`/api/calendars/${cal.id}`)
      .set(auth(admin))
      .send({ name: 'Renamed', holidays: [{ date: '2026-09-20' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/also a holiday/);
    const taken = await request(gw.url)
      .patch(`/api/calendars/${cal.id}`)
      .set(auth(admin))
      .send({ name: 'Day desk' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('duplicate_name');
    expect(
      (await request(gw.url).post('/api/calendars').set(auth(admin)).send(office('Day desk'))).status,
    ).toBe(409);
    const stored = await request(gw.url).get(`/api/calendars/${cal.id}`).set(auth(admin));
    expect(stored.body.calendar).toMatchObject({ name: 'Night desk', holidays: office('x').holidays });
  });

  it('answers 404 for an unknown calendar and 400 for a malformed id', async () => {
    const missing = '0123456789abcdef01234567';
    for (const path of [`/api/calendars/${missing}`, `/api/calendars/${missing}/status`])
      expect((await request(gw.url).get(path).set(auth(agent))).status).toBe(404);
    expect((await request(gw.url).delete(`/api/calendars/${missing}`).set(auth(admin))).status).toBe(404);
    expect((await request(gw.url).get('/api/calendars/nope').set(auth(agent))).status).toBe(400);
  });
});

describe('inboxes and their calendar', () => {
  it('assigns an existing calendar only, shows it, and counts its hours from then on', async () => {
    const cal = await create('Support hours');
    const unknown = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin))
      .send({ name: 'Site', channel: 'webchat', calendarId: '0123456789abcdef01234567' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/calendarId/);

    const made = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin))
      .send({ name: 'Site', channel: 'webchat' });
    expect(made.body.inbox.calendarId).toBeNull();
    const inboxId: string = made.body.inbox.id;
    expect(await gw.app.calendars.forInbox(inboxId)).toBe(ALWAYS_OPEN);

    const patched = await request(gw.url)
      .patch(`/api/inboxes/${inboxId}`)
      .set(auth(admin))
      .send({ calendarId: cal.id });
    expect(patched.body.inbox.calendarId).toBe(cal.id);
    const hours = await gw.app.calendars.forInbox(inboxId);
    expect(hours.isOpen(new Date('2026-09-21T02:00:00Z'))).toBe(true);
    expect(hours.isOpen(new Date('2026-10-01T02:00:00Z'))).toBe(false);
    expect(await gw.app.calendars.describeInbox(inboxId, new Date('2026-09-30T10:00:00Z'))).toMatchObject({
      open: false,
      nextOpeningAt: '2026-10-02T01:00:00.000Z',
      timeZone: 'Asia/Shanghai',
    });

    // A changed calendar applies to the inbox's next deadline.
    await request(gw.url).patch(`/api/calendars/${cal.id}`).set(auth(admin)).send({ holidays: [] });
    expect((await gw.app.calendars.forInbox(inboxId)).isOpen(new Date('2026-10-01T02:00:00Z'))).toBe(true);

    const refused = await request(gw.url)
      .patch(`/api/inboxes/${inboxId}`)
      .set(auth(admin))
      .send({ calendarId: 'x' });
    expect(refused.status).toBe(400);
  });

  it('refuses to delete a calendar in use (409), and deletes it once the inbox lets go', async () => {
    const cal = await create('Weekend desk');
    const inbox = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin))
      .send({ name: 'Weekend', channel: 'webchat', calendarId: cal.id });
    const inUse = await request(gw.url).delete(`/api/calendars/${cal.id}`).set(auth(admin));
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('calendar_in_use');
    expect(await gw.models.Calendar.exists({ _id: cal.id })).toBeTruthy();

    await request(gw.url)
      .patch(`/api/inboxes/${inbox.body.inbox.id}`)
      .set(auth(admin))
      .send({ calendarId: null });
    expect((await request(gw.url).delete(`/api/calendars/${cal.id}`).set(auth(agent))).status).toBe(403);
    expect((await request(gw.url).delete(`/api/calendars/${cal.id}`).set(auth(admin))).status).toBe(204);
    expect((await request(gw.url).get(`/api/calendars/${cal.id}`).set(auth(admin))).status).toBe(404);
    expect(await gw.app.calendars.get(cal.id)).toBe(ALWAYS_OPEN);
  });
});

describe('status at an instant', () => {
  let statusDesk: string;
  beforeAll(async () => {
    statusDesk = (await create('Status desk')).id;
  });
  it.each<[string, boolean, string | null]>([
    ['2026-09-21T02:00:00Z', true, '2026-09-21T02:00:00.000Z'],
    ['2026-09-25T10:00:00+01:00', false, '2026-09-28T01:00:00.000Z'],
    ['2026-10-01T09:30:00+08:00', false, '2026-10-02T01:00:00.000Z'],
    ['2026-09-20T10:00:00+08:00', true, '2026-09-20T02:00:00.000Z'],
  ])('at %s: open %s, next opening %s', async (instant, open, nextOpeningAt) => {
    const res = await request(gw.url)
      .get(`/api/calendars/${statusDesk}/status`)
      .query({ at: instant })
      .set(auth(agent));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ open, nextOpeningAt });
  });

  it('refuses an instant that is not ISO 8601, and answers for now without one', async () => {
    const bad = await request(gw.url)
      .get(`/api/calendars/${statusDesk}/status`)
      .query({ at: 'tomorrow' })
      .set(auth(agent));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^at:/);
    const now = await request(gw.url).get(`/api/calendars/${statusDesk}/status`).set(auth(agent));
    expect(now.status).toBe(200);
    expect(typeof now.body.open).toBe('boolean');
  });
});
