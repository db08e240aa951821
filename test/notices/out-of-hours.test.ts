/**
 * Out-of-hours replies on web chat: a visitor who writes while the inbox's calendar is
 * closed is told once per closed period when the team opens again, even across several
 * messages, a resend and two gateway processes; never while open, nor when the inbox
 * turns it off.
 */
import { DateTime } from 'luxon';
import type { MessageView } from '../../shared/protocol';
import {
  api,
  call,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { staysAt } from '../harness/absence';
import { assignCalendar } from '../harness/calendars';

let gw: TestGateway;
let other: TestGateway;
let admin = '';

beforeAll(async () => {
  gw = await startGateway();
  other = await startGateway({ dbName: gw.dbName });
  admin = (await createAgent(gw, { role: 'admin', capacity: 0 })).token;
}, 60_000);
afterAll(async () => {
  await other?.close();
  await gw?.close();
});

const automaticIn = (inboxId: unknown) =>
  gw.models.Message.countDocuments({ inboxId, direction: 'out', automatic: true });

async function visitor(url: string, inboxKey: string, token?: string) {
  const session = token ? { token } : await openVisitorSession(url, inboxKey);
  return { socket: await connectVisitor(url, session.token), token: session.token };
}

describe('a visitor writing while the inbox is closed', () => {
  it('is told once when the team opens again, whatever more they write or resend', async () => {
    const desk = await createDesk(gw);
    const { opening, timeZone } = await assignCalendar(gw, admin, String(desk.inbox._id), 'closed');
    const v = await visitor(gw.url, desk.inbox.key);
    const told = nextEvent<MessageView>(v.socket, 'message', (m) => m.automatic);
    await call(v.socket, 'message:send', { clientId: 'c-1', text: 'Are you there?' });
    const reply = await told;
    const at = DateTime.fromJSDate(opening, { zone: timeZone }).toFormat('HH:mm');
    expect(reply.text).toContain(`We're closed right now and open again tomorrow at ${at}`);

    await call(v.socket, 'message:send', { clientId: 'c-2', text: 'Hello?' });
    await call(v.socket, 'message:send', { clientId: 'c-1', text: 'Are you there?' }); // a resend
    await staysAt(() => automaticIn(desk.inbox._id), 1);
    v.socket.close();
  });

  it('is told once when two gateway processes take their messages at the same moment', async () => {
    const desk = await createDesk(gw);
    await assignCalendar(gw, admin, String(desk.inbox._id), 'closed');
    const a = await visitor(gw.url, desk.inbox.key);
    const b = await visitor(other.url, desk.inbox.key, a.token);
    await Promise.all([
      call(a.socket, 'message:send', { clientId: 'p-1', text: 'first tab' }),
      call(b.socket, 'message:send', { clientId: 'p-2', text: 'second tab' }),
    ]);
    await eventually(
      () => automaticIn(desk.inbox._id),
      (n) => n >= 1,
    );
    await staysAt(() => automaticIn(desk.inbox._id), 1);
    a.socket.close();
    b.socket.close();
  });

  it('is not told anything while the inbox is open', async () => {
    const desk = await createDesk(gw);
    await assignCalendar(gw, admin, String(desk.inbox._id), 'open');
    const v = await visitor(gw.url, desk.inbox.key);
    await call(v.socket, 'message:send', { clientId: 'o-1', text: 'Open?' });
    await staysAt(() => automaticIn(desk.inbox._id), 0);
    v.socket.close();
  });

  it('is not told anything when the inbox turns the reply off', async () => {
    const desk = await createDesk(gw);
    const inboxId = String(desk.inbox._id);
    await assignCalendar(gw, admin, inboxId, 'closed');
    expect((await api(gw.url, admin, 'PATCH', `/inboxes/${inboxId}`, { outOfHoursReply: 'no' })).status).toBe(
      400,
    );
    const off = await api<{ inbox: { outOfHoursReply: boolean } }>(
      gw.url,
      admin,
      'PATCH',
      `/inboxes/${inboxId}`,
      {
        outOfHoursReply: false,
      },
    );
    expect(off.body.inbox.outOfHoursReply).toBe(false);
    const v = await visitor(gw.url, desk.inbox.key);
    await call(v.socket, 'message:send', { clientId: 'f-1', text: 'Closed?' });
    await staysAt(() => automaticIn(desk.inbox._id), 0);
    v.socket.close();
  });
});
