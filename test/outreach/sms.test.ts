/**
 * Agents start conversations by text: refused with the reason for a customer who texted
 * STOP or has no phone number, delivered through Twilio otherwise, and the new
 * conversation is the starting agent's.
 */
import type { ConversationView } from '../../shared/protocol';
import { api, callRaw, connectAgent } from '../harness/gateway';
import {
  OUR_NUMBER,
  conversationsOf,
  messagesOf,
  settled,
  smsInbox,
  smsSuite,
  textIn,
} from '../channels/sms/desk';

const s = smsSuite();

type Refusal = { error: { code: string; message: string; conversationId?: string } };

describe('an agent texts a customer first', () => {
  it('is refused for a customer who opted out, and for one without a phone number', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const agent = await inbox.agent();
    expect((await textIn(s, inbox, { from: '+14155550170', body: 'STOP' })).status).toBe(200);
    const [conv] = await conversationsOf(s, inbox.id);
    const contactId = String(conv?.contactId);
    const start = { contactId, inboxId: inbox.id, text: 'About your order' };
    const opted = await api<Refusal>(s.gw().url, agent.token, 'POST', '/conversations', start);
    expect(opted.status).toBe(409);
    expect(opted.body.error.code).toBe('opted_out');

    const nobody = await s.gw().models.Contact.create({ name: 'No phone', email: 'np@example.test' });
    const none = await api<Refusal>(s.gw().url, agent.token, 'POST', '/conversations', {
      ...start,
      contactId: String(nobody._id),
    });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('no_identity');
    expect(s.standin.sends.filter((m) => m.body === 'About your order')).toHaveLength(0);
  });

  it('delivers the first message through Twilio and assigns the conversation to the agent', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const agent = await inbox.agent();
    const contact = await s.gw().models.Contact.create({ name: 'Mei', phone: '+14155550171' });
    const res = await api<{ conversation: ConversationView }>(
      s.gw().url,
      agent.token,
      'POST',
      '/conversations',
      {
        contactId: String(contact._id),
        inboxId: inbox.id,
        text: 'Hello Mei, calling back about your delivery.',
      },
    );
    expect(res.status).toBe(201);
    const view = res.body.conversation;
    expect(view).toMatchObject({ status: 'assigned', assigneeId: agent.id, channel: 'sms' });
    const [out] = (await messagesOf(s, inbox.id)).filter((m) => m.direction === 'out');
    const sent = await settled(s, String(out?._id), (m) => m.delivery.providerId !== null);
    const twilioSide = s.standin.sends.find((x) => x.sid === sent.delivery.providerId);
    expect(twilioSide).toMatchObject({
      to: '+14155550171',
      from: OUR_NUMBER,
      body: 'Hello Mei, calling back about your delivery.',
    });
    expect(
      await s.gw().models.Assignment.countDocuments({ conversationId: view.id, agentId: agent.id }),
    ).toBe(1);
    const started = await s
      .gw()
      .models.ConversationEvent.findOne({ conversationId: view.id, type: 'conversation.started_by_agent' })
      .lean();
    expect(String(started?.actor.id)).toBe(agent.id);

    // A second start on the same inbox names the live conversation.
    const socket = await connectAgent(s.gw().url, agent.token);
    const again = await callRaw(socket, 'conversation:start', {
      contactId: String(contact._id),
      inboxId: inbox.id,
      text: 'Hi',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_open', conversationId: view.id } });
    socket.close();

    // The customer's answer lands in the same conversation.
    expect((await textIn(s, inbox, { from: '+14155550171', body: 'Thanks!' })).status).toBe(200);
    expect((await conversationsOf(s, inbox.id)).map((c) => String(c._id))).toEqual([view.id]);
  });
});
