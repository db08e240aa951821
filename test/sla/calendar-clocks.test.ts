/**
 * Business-hours targets on a real stored calendar, end to end: an admin saves opening
 * hours and a business-hours policy rule through the API; a conversation that arrives after
 * hours is due N minutes after the next opening, skips holidays and counts make-up workdays,
 * breaches nothing overnight, and a breach measures open time only.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '../../shared/protocol';
import {
  api,
  call,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';
import { closedSinceAnHour, everyDay } from '../harness/calendars';

const PICKUP_MS = 5 * 60_000;
const MINUTE = 60_000;
/** The gateway's clock runs this far ahead of the machine's: tests move time instead of waiting. */
let ahead = 0;
const gw = suiteGateway({ now: () => new Date(Date.now() + ahead) });
const cal = closedSinceAnHour();

/** A desk whose inbox has `calendar` (the API body of a calendar) and a business-hours pickup rule of five minutes. */
async function hoursDesk(calendar: Record<string, unknown>) {
  const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
  const desk = await createDesk(gw);
  const inboxId = String(desk.inbox._id);
  const saved = await api<{ calendar: { id: string } }>(gw.url, admin.token, 'POST', '/calendars', {
    name: `hours-${randomUUID().slice(0, 8)}`,
    timeZone: cal.timeZone,
    ...calendar,
  });
  expect(saved.status).toBe(201);
  const assigned = await api(gw.url, admin.token, 'PATCH', `/inboxes/${inboxId}`, {
    calendarId: saved.body.calendar.id,
  });
  expect(assigned.status).toBe(200);
  const rule = await api(gw.url, admin.token, 'POST', '/policies', {
    name: `business pickup ${inboxId}`,
    order: 1,
    match: { inboxIds: [inboxId] },
    targets: { pickup: { ms: PICKUP_MS, businessHours: true } },
  });
  expect(rule.status).toBe(201);
  return desk;
}

async function customerWrites(inboxKey: string) {
  const session = await openVisitorSession(gw.url, inboxKey);
  const visitor = await connectVisitor(gw.url, session.token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: 'after-hours', text: 'hello?' });
  visitor.close();
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  const pickup = conv?.clocks?.pickup;
  if (!conv || !pickup) throw new Error('the conversation has no pickup clock');
  return { id: String(conv._id), pickup };
}

describe('a business-hours pickup target on the inbox calendar', () => {
  afterEach(() => {
    ahead = 0;
  });

  it('is due the target after the next opening when a skipped holiday falls between', async () => {
    const desk = await hoursDesk({ weekly: everyDay(cal.hours), holidays: [{ date: cal.date(1) }] });
    const { pickup } = await customerWrites(desk.inbox.key);
    expect(pickup).toMatchObject({ businessHours: true, targetMs: PICKUP_MS });
    expect(new Date(pickup.dueAt).getTime()).toBe(cal.opening(2).getTime() + PICKUP_MS);
  });

  it('counts a make-up workday on a day that is otherwise closed', async () => {
    const desk = await hoursDesk({
      weekly: { [cal.weekday(0)]: [cal.hours] },
      extraWorkdays: [{ date: cal.date(1), hours: [cal.hours] }],
    });
    const { pickup } = await customerWrites(desk.inbox.key);
    expect(new Date(pickup.dueAt).getTime()).toBe(cal.opening(1).getTime() + PICKUP_MS);
  });

  it('breaches nothing overnight, then breaches after the opening and measures open time only', async () => {
    const desk = await hoursDesk({ weekly: everyDay(cal.hours) });
    const conv = await customerWrites(desk.inbox.key);
    const opens = cal.opening(1).getTime();
    expect(new Date(conv.pickup.dueAt).getTime()).toBe(opens + PICKUP_MS);

    // The night passes and four minutes of the morning: still within the target.
    ahead = opens + 4 * MINUTE - Date.now();
    await gw.app.sla.settle(conv.id);
    const morning = await gw.models.Conversation.findById(conv.id).lean();
    expect(morning?.clocks?.pickup?.breachedAt).toBeNull();
    expect(
      await gw.models.ConversationEvent.countDocuments({
        conversationId: conv.id,
        type: 'sla.breached',
        'data.clock': 'pickup',
      }),
    ).toBe(0);

    ahead = opens + 6 * MINUTE - Date.now();
    await gw.app.sla.settle(conv.id);
    const m = await eventually(
      () => gw.models.SlaMeasurement.findOne({ conversationId: conv.id, clock: 'pickup' }).lean(),
      (x) => x !== null,
    );
    expect(m).toMatchObject({ met: false, businessHours: true });
    // Open time from the opening to the breach, not the night before it.
    expect(m!.elapsedMs).toBeGreaterThanOrEqual(6 * MINUTE);
    expect(m!.elapsedMs).toBeLessThan(7 * MINUTE);
  });
});
