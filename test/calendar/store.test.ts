/** The calendar store: which working time a calendar or inbox has, and how long a cached copy is trusted. */
import { CalendarStore } from '../../server/calendar/store';
import { ALWAYS_OPEN } from '../../server/calendar/working-time';
import { createInbox, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();
const SATURDAY_NOON = new Date('2026-03-07T12:00:00Z');
const weekdays = (open: string, close: string) =>
  Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ open, close }]]));
const makeCalendar = (name: string) =>
  gw.models.Calendar.create({ name, timeZone: 'UTC', weekly: weekdays('09:00', '17:00') });

it('answers ALWAYS_OPEN for no calendar, an unknown one, a malformed id and an inbox without one', async () => {
  const store = new CalendarStore(gw.models);
  const inbox = await createInbox(gw);
  expect(await store.get(null)).toBe(ALWAYS_OPEN);
  expect(await store.get('0123456789abcdef01234567')).toBe(ALWAYS_OPEN);
  expect(await store.get('not-an-id')).toBe(ALWAYS_OPEN);
  expect(await store.forInbox(String(inbox._id))).toBe(ALWAYS_OPEN);
  expect(await store.forInbox('0123456789abcdef01234567')).toBe(ALWAYS_OPEN);
  expect(await store.describeInbox(String(inbox._id), SATURDAY_NOON)).toBeNull();
});

it('keeps a calendar until it is invalidated or its copy is older than maxAgeMs', async () => {
  let now = 0;
  const store = new CalendarStore(gw.models, { maxAgeMs: 1000, now: () => now });
  const cal = await makeCalendar('Cached');
  const id = String(cal._id);
  expect((await store.get(id)).isOpen(SATURDAY_NOON)).toBe(false);

  await gw.models.Calendar.updateOne(
    { _id: cal._id },
    { $set: { weekly: { '6': [{ open: '00:00', close: '24:00' }] } } },
  );
  expect((await store.get(id)).isOpen(SATURDAY_NOON)).toBe(false);
  store.invalidate(id);
  expect((await store.get(id)).isOpen(SATURDAY_NOON)).toBe(true);

  await gw.models.Calendar.updateOne({ _id: cal._id }, { $set: { weekly: {} } });
  now = 999;
  expect((await store.get(id)).isOpen(SATURDAY_NOON)).toBe(true);
  now = 1000;
  expect((await store.get(id)).isOpen(SATURDAY_NOON)).toBe(false);
});

it("follows an inbox's calendar once the inbox is invalidated", async () => {
  const store = new CalendarStore(gw.models);
  const cal = await makeCalendar('Inbox hours');
  const inbox = await createInbox(gw);
  const inboxId = String(inbox._id);
  expect(await store.forInbox(inboxId)).toBe(ALWAYS_OPEN);

  await gw.models.Inbox.updateOne({ _id: inbox._id }, { $set: { calendarId: cal._id } });
  expect(await store.forInbox(inboxId)).toBe(ALWAYS_OPEN);
  store.invalidateInbox(inboxId);
  const hours = await store.forInbox(inboxId);
  expect(hours.isOpen(SATURDAY_NOON)).toBe(false);
  expect(hours.isOpen(new Date('2026-03-09T10:00:00Z'))).toBe(true);
  expect(await store.describeInbox(inboxId, SATURDAY_NOON)).toMatchObject({
    open: false,
    nextOpeningAt: '2026-03-09T09:00:00.000Z',
    timeZone: 'UTC',
  });
});
