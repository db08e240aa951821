/**
 * What a web chat session tells the widget about the inbox: its opening hours and whether
 * it is open, and "online" only when an agent of the inbox's team is online while it is
 * open. The visitor's language is kept on the contact, so what Switchboard says follows it.
 */
import type { MessageView, WebchatSessionView } from '../../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  suiteGateway,
} from '../../harness/gateway';
import { assignCalendar } from '../../harness/calendars';

const gw = suiteGateway();

async function session(inboxKey: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${gw.url}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inboxKey, ...extra }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as WebchatSessionView;
}

async function online(desk: Awaited<ReturnType<typeof createDesk>>) {
  const socket = await connectAgent(gw.url, (await desk.agent()).token);
  await call(socket, 'presence:set', { presence: 'online' });
  return socket;
}

describe('the web chat session', () => {
  it('shows a closed inbox with its hours and next opening, and no agent online', async () => {
    const desk = await createDesk(gw);
    const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
    const { opening, timeZone } = await assignCalendar(gw, admin.token, String(desk.inbox._id), 'closed');
    const agent = await online(desk);
    const s = await session(desk.inbox.key);
    expect(s.inbox.online).toBe(false);
    expect(s.inbox.hours).toMatchObject({ open: false, nextOpeningAt: opening.toISOString(), timeZone });
    expect(Object.keys(s.inbox.hours?.weekly ?? {})).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    agent.close();
  });

  it("counts only agents of the inbox's team as online, and has no hours around the clock", async () => {
    const desk = await createDesk(gw);
    const elsewhere = await online(await createDesk(gw));
    const before = await session(desk.inbox.key);
    expect(before.inbox).toMatchObject({ online: false, hours: null });
    const ours = await online(desk);
    expect((await session(desk.inbox.key)).inbox.online).toBe(true);
    ours.close();
    elsewhere.close();
  });

  it("keeps the visitor's language on the contact and answers after hours in it", async () => {
    const desk = await createDesk(gw);
    const admin = await createAgent(gw, { role: 'admin', capacity: 0 });
    await assignCalendar(gw, admin.token, String(desk.inbox._id), 'closed');
    const s = await session(desk.inbox.key, { locale: 'zh-Hans-CN' });
    const visitor = await connectVisitor(gw.url, s.token);
    const told = nextEvent<MessageView>(visitor, 'message', (m) => m.automatic);
    const m = await call<MessageView>(visitor, 'message:send', { clientId: 'zh-1', text: '你好，在吗？' });
    expect((await told).text).toMatch(/^您好，感谢您的留言！现在是非工作时间，我们将于明天 \d\d:\d\d/);
    const conv = await gw.models.Conversation.findById(m.conversationId).lean();
    const contact = await eventually(
      () => gw.models.Contact.findById(conv?.contactId).lean(),
      (c) => c !== null,
    );
    expect(contact?.attributes).toMatchObject({ locale: 'zh-CN' });
    visitor.close();
  });
});
