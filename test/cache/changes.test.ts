/**
 * A setting saved on one gateway process is used at once by the others, though each keeps
 * a copy of it for CACHE_MAX_AGE_MS: the save is broadcast through the Redis adapter.
 */
import type { MessageView, WebchatSessionView } from '../../shared/protocol';
import {
  api,
  call,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  uniqueDbName,
  type TestGateway,
} from '../harness/gateway';

jest.setTimeout(60_000);

// Copies kept for ten minutes: only the broadcast can make the other process see a change in time.
const env = { CACHE_MAX_AGE_MS: '600000' };
let a: TestGateway;
let b: TestGateway;
beforeAll(async () => {
  const dbName = uniqueDbName('changes');
  a = await startGateway({ dbName, env });
  b = await startGateway({ dbName, env });
});
afterAll(async () => {
  await b?.app.db.dropDatabase();
  await Promise.all([a?.close(), b?.close()]);
});

/** A new customer's first message on gateway B, and the conversation it opened. */
async function openOnB(inboxKey: string, text: string) {
  const v = await connectVisitor(b.url, (await openVisitorSession(b.url, inboxKey)).token);
  try {
    const m = await call<MessageView>(v, 'message:send', { clientId: 'first', text });
    return (await b.models.Conversation.findById(m.conversationId).lean())!;
  } finally {
    v.disconnect();
  }
}

it('uses a policy rule and a classification rule saved on another process for the next conversation', async () => {
  const desk = await createDesk(b);
  const admin = await createAgent(a, { role: 'admin' });
  // B reads the rules once and keeps them.
  const before = await openOnB(desk.inbox.key, 'my parcel is lost');
  expect(before.clocks.pickup!.targetMs).toBe(5 * 60_000);
  expect(before.category).not.toBe('technical');

  const policy = await api(a.url, admin.token, 'POST', '/policies', {
    name: 'Fast desk',
    order: 1,
    match: { inboxIds: [String(desk.inbox._id)] },
    targets: { pickup: { ms: 60_000 } },
  });
  expect(policy.status).toBe(201);
  const rule = await api(a.url, admin.token, 'POST', '/classification-rules', {
    name: 'Parcels',
    category: 'technical',
    channels: ['webchat'],
    keywords: ['parcel'],
  });
  expect(rule.status).toBe(201);

  // The broadcast reaches B a moment after A answered.
  const after = await eventually(
    () => openOnB(desk.inbox.key, 'my parcel is lost'),
    (c) => c.clocks.pickup?.targetMs === 60_000 && c.category === 'technical',
    3_000,
    100,
  );
  expect(after.clocks.pickup!.targetMs).toBe(60_000);
});

it('shows customers the hours of a calendar changed on another process', async () => {
  const admin = await createAgent(a, { role: 'admin' });
  const nine = [{ open: '09:00', close: '17:00' }];
  const made = await api<{ calendar: { id: string } }>(a.url, admin.token, 'POST', '/calendars', {
    name: 'Desk hours',
    timeZone: 'Asia/Shanghai',
    weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
  });
  expect(made.status).toBe(201);
  const desk = await createDesk(a);
  expect(
    (
      await api(a.url, admin.token, 'PATCH', `/inboxes/${String(desk.inbox._id)}`, {
        calendarId: made.body.calendar.id,
      })
    ).status,
  ).toBe(200);
  const hoursOnB = async () =>
    ((await openVisitorSession(b.url, desk.inbox.key)) as unknown as WebchatSessionView).inbox.hours;
  // B serves the calendar from its copy.
  expect((await eventually(hoursOnB, (h) => h !== null, 3_000, 100))!.timeZone).toBe('Asia/Shanghai');

  const changed = await api(a.url, admin.token, 'PATCH', `/calendars/${made.body.calendar.id}`, {
    timeZone: 'Europe/London',
  });
  expect(changed.status).toBe(200);
  const seen = await eventually(hoursOnB, (h) => h?.timeZone === 'Europe/London', 3_000, 100);
  expect(seen!.weekly['1']).toEqual(nine);
});
