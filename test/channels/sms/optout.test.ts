/**
 * A customer who texts STOP cannot be texted: the opt-out is on the contact and the
 * conversation's timeline, and an agent's reply is refused with the reason until the
 * customer texts START.
 */
import { callRaw } from '../../harness/gateway';
import { conversationFrom, messagesOf, settled, smsInbox, smsSuite, textIn } from './desk';

const s = smsSuite();

const eventTypes = async (conversationId: string) =>
  (await s.gw().models.ConversationEvent.find({ conversationId }).sort({ at: 1, _id: 1 }).lean()).map(
    (e) => e.type,
  );
const reachability = async (contactId: string) =>
  (await s.gw().models.Contact.findById(contactId).lean())?.reachability.sms;

describe('SMS opt-out', () => {
  it('refuses replies after STOP and allows them again after START', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550190', 'Where is my parcel?');
    await settled(s, (await c.reply('Let me check.')).id, (m) => m.delivery.providerId !== null);

    expect((await textIn(s, inbox, { from: '+14155550190', body: ' stop ' })).status).toBe(200);
    expect(await reachability(c.contactId)).toMatchObject({
      reachable: false,
      reason: 'The customer texted stop',
    });
    expect(await eventTypes(c.conversationId)).toContain('contact.unreachable');
    const stop = (await messagesOf(s, inbox.id)).find((m) => m.text === ' stop ');
    expect(stop?.meta).toMatchObject({ keyword: 'stop', automated: true });

    const attemptsBefore = s.standin.attempts.length;
    const refused = await callRaw(c.socket, 'message:send', {
      conversationId: c.conversationId,
      clientId: 'after-stop',
      text: 'Are you still there?',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'contact_unreachable', message: expect.stringMatching(/cannot be reached on sms/) },
    });
    expect(s.standin.attempts.length).toBe(attemptsBefore);

    expect((await textIn(s, inbox, { from: '+14155550190', body: 'START' })).status).toBe(200);
    expect(await reachability(c.contactId)).toMatchObject({ reachable: true });
    expect(await eventTypes(c.conversationId)).toContain('contact.consent_changed');
    const back = await settled(s, (await c.reply('Welcome back!')).id, (m) => m.delivery.providerId !== null);
    expect(s.standin.sends.find((x) => x.sid === back.delivery.providerId)?.body).toBe('Welcome back!');
    c.socket.close();
  });

  it("follows Twilio's OptOutType for localised keywords, and HELP changes nothing", async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550191', 'Bonjour');
    await textIn(s, inbox, { from: '+14155550191', body: 'HELP' });
    expect(await reachability(c.contactId)).toBeUndefined();
    expect((await messagesOf(s, inbox.id)).find((m) => m.text === 'HELP')?.meta).toMatchObject({
      keyword: 'help',
    });

    await textIn(s, inbox, { from: '+14155550191', body: 'ARRET', extra: { OptOutType: 'STOP' } });
    expect(await reachability(c.contactId)).toMatchObject({ reachable: false });
    c.socket.close();
  });
});
