/**
 * A contact's notes and attributes: agents edit those of customers they serve,
 * supervisors and admins any contact's; the channel's own `locale` stays as it is.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '../../shared/protocol';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway();

interface Details {
  notes: string;
  notesUpdatedBy: string | null;
  attributes: Record<string, string>;
  editable: boolean;
  error?: { code: string; message: string };
}

async function served() {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Amy' });
  const session = await openVisitorSession(gw.url, desk.inbox.key, { locale: 'zh-CN' });
  const visitor = await connectVisitor(gw.url, session.token);
  const m = await call<MessageView>(visitor, 'message:send', { clientId: randomUUID(), text: 'hello' });
  visitor.disconnect();
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  return { desk, agent, contactId: String(conv!.contactId), conversationId: m.conversationId };
}

const details = (token: string, id: string, method = 'GET', body?: unknown) =>
  api<Details>(gw.url, token, method, `/contacts/${id}/details`, body);

describe('contact notes and attributes', () => {
  it('lets the agent serving a customer edit the notes and attributes, and others only read them', async () => {
    const s = await served();
    const stranger = await s.desk.agent();
    expect((await details(s.agent.token, s.contactId)).body.editable).toBe(false);
    const early = await details(s.agent.token, s.contactId, 'PATCH', { notes: 'too soon' });
    expect(early.status).toBe(403);

    const socket = await connectAgent(gw.url, s.agent.token);
    await call(socket, 'conversation:take', { conversationId: s.conversationId });
    socket.disconnect();
    const saved = await details(s.agent.token, s.contactId, 'PATCH', {
      notes: '  Prefers email. 喜欢邮件联系。 ',
      attributes: { 'order no': 'A-1042', plan: 'gold' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      notes: 'Prefers email. 喜欢邮件联系。',
      notesUpdatedBy: 'Amy',
      attributes: { 'order no': 'A-1042', plan: 'gold', locale: 'zh-CN' },
      editable: true,
    });
    const removed = await details(s.agent.token, s.contactId, 'PATCH', { attributes: { plan: null } });
    expect(removed.body.attributes).toEqual({ 'order no': 'A-1042', locale: 'zh-CN' });

    const read = await details(stranger.token, s.contactId);
    expect(read.body).toMatchObject({ notes: 'Prefers email. 喜欢邮件联系。', editable: false });
    expect((await details(stranger.token, s.contactId, 'PATCH', { notes: 'mine now' })).status).toBe(403);

    const supervisor = await s.desk.agent({ role: 'supervisor' });
    const bySupervisor = await details(supervisor.token, s.contactId, 'PATCH', { notes: 'VIP soon' });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.notes).toBe('VIP soon');
    const audit = await gw.models.StaffAuditEntry.find({ action: 'contact.details_changed' }).lean();
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const s = await served();
    const admin = await createAgent(gw, { role: 'admin' });
    for (const [body, reason] of [
      [{}, /change notes or attributes/],
      [{ notes: 'x'.repeat(5001) }, /at most 5000/],
      [{ attributes: { locale: 'en' } }, /locale: set by the customer's channel/],
      [{ attributes: { 'a.b': 'x' } }, /attribute names/],
      [{ attributes: { $where: 'x' } }, /attribute names/],
      [{ attributes: { plan: 5 } }, /attributes/],
      [{ attributes: { plan: 'x'.repeat(501) } }, /at most 500/],
      [{ notes: 'ok', vip: true }, /Unrecognized key/],
    ] as [unknown, RegExp][]) {
      const res = await details(admin.token, s.contactId, 'PATCH', body);
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toMatch(reason);
    }
    const contact = await gw.models.Contact.findById(s.contactId).lean();
    expect(contact?.attributes).toEqual({ locale: 'zh-CN' });
    expect(await gw.models.ContactNote.exists({ contactId: s.contactId })).toBeNull();
    expect((await details(admin.token, '0123456789abcdef01234567')).status).toBe(404);
    expect((await details(admin.token, '0123456789abcdef01234567', 'PATCH', { notes: 'x' })).status).toBe(
      404,
    );
    expect((await details(admin.token, 'bad')).status).toBe(400);
  });
});
