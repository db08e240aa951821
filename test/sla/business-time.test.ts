/**
 * A business-time clock does not run while the inbox is closed: its deadline is the next
 * opening plus the target. The calendar comes from the CalendarSource the gateway is given.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView, SlaAlertView } from '../../shared/protocol';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';
import { closedUntil } from '../harness/working-time';

let opensAt = new Date();
const gw = suiteGateway({ calendars: { forInbox: () => Promise.resolve(closedUntil(() => opensAt)) } });

it('starts counting a business-time pickup target at the next opening', async () => {
  const desk = await createDesk(gw);
  const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
  const created = await api(gw.url, admin.token, 'POST', '/policies', {
    name: `hours-${randomUUID().slice(0, 6)}`,
    order: 1,
    match: { inboxIds: [String(desk.inbox._id)] },
    targets: { pickup: { ms: 600, businessHours: true } },
  });
  expect(created.status).toBe(201);
  const sup = await connectAgent(gw.url, (await desk.agent({ role: 'supervisor', capacity: 0 })).token);
  const breach = nextEvent<SlaAlertView>(sup, 'sla:breach', (a) => a.clock === 'pickup');

  opensAt = new Date(Date.now() + 1500);
  const session = await openVisitorSession(gw.url, desk.inbox.key);
  const visitor = await connectVisitor(gw.url, session.token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: 'closed-1', text: 'are you open?' });

  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  const pickup = conv?.clocks?.pickup;
  expect(pickup).toMatchObject({ businessHours: true, targetMs: 600 });
  expect(new Date(pickup!.dueAt).getTime()).toBe(opensAt.getTime() + 600);
  const b = await breach;
  expect(new Date(b.at).getTime()).toBeGreaterThanOrEqual(opensAt.getTime() + 600);
  expect(new Date(b.at).getTime() - new Date(b.dueAt).getTime()).toBeLessThanOrEqual(1000);
  visitor.close();
  sup.close();
});
