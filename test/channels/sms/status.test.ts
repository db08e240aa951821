/**
 * Twilio's delivery reports reach the message and the agent live; reports arriving out of
 * order or at once still leave the message in its true final state, with Twilio's error.
 */
import type { MessageView } from '../../../shared/protocol';
import { eventually, nextEvent } from '../../harness/gateway';
import { AUTH_TOKEN, conversationFrom, settled, smsInbox, smsSuite, webhookUrl } from './desk';

const s = smsSuite();

type Report = [status: string, errorCode?: number];

async function sentReply(c: Awaited<ReturnType<typeof conversationFrom>>, text: string) {
  const m = await settled(s, (await c.reply(text)).id, (x) => x.delivery.providerId !== null);
  return { id: String(m._id), sid: m.delivery.providerId! };
}

const deliveryOf = async (id: string) => (await s.gw().models.Message.findById(id).lean())?.delivery ?? null;

describe('SMS delivery reports', () => {
  const cases: [string, Report[], string, string | null][] = [
    ['in order', [['sending'], ['sent'], ['delivered']], 'delivered', null],
    ['delivered before sent', [['delivered'], ['sent'], ['queued']], 'delivered', null],
    [
      'undelivered among others',
      [['sent'], ['undelivered', 30005], ['sending']],
      'undelivered',
      'The number is unknown or no longer in service (30005)',
    ],
    [
      'failed, then a late delivered',
      [['failed', 30007], ['delivered']],
      'failed',
      'The carrier filtered the message as spam (30007)',
    ],
  ];

  it.each(cases)(
    'ends in the right state when reports come %s, live to the agent',
    async (_name, reports, status, error) => {
      const inbox = await smsInbox(s, { sendRate: 50 });
      const c = await conversationFrom(s, inbox, '+14155550180');
      const m = await sentReply(c, 'Tracking number 1Z999');
      const finalShown = nextEvent<MessageView>(
        c.socket,
        'message:updated',
        (v) => v.id === m.id && v.delivery.status === status,
      );
      for (const [st, code] of reports)
        expect((await s.standin.fireStatus(m.sid, st, code ?? null)).status).toBe(200);
      expect((await finalShown).delivery).toEqual({ status, error });
      expect(await deliveryOf(m.id)).toMatchObject({ status, error });
      c.socket.close();
    },
  );

  it('ends delivered when every report arrives at once', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550181');
    const sent = await Promise.all([1, 2, 3].map((i) => sentReply(c, `parallel ${i}`)));
    for (const m of sent) {
      const replies = await Promise.all(
        ['delivered', 'sent', 'sending', 'queued'].map((st) => s.standin.fireStatus(m.sid, st)),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    }
    for (const m of sent) expect(await deliveryOf(m.id)).toMatchObject({ status: 'delivered', error: null });
    c.socket.close();
  });

  it('refuses an unsigned report and leaves the message as it was', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550182');
    const m = await sentReply(c, 'hello');
    const forged = await s.standin.postWebhook(
      webhookUrl(s, inbox, 'status'),
      { MessageSid: m.sid, MessageStatus: 'failed', ErrorCode: '30003' },
      AUTH_TOKEN,
      { signature: 'Zm9yZ2Vk' },
    );
    expect(forged.status).toBe(403);
    expect(await deliveryOf(m.id)).toMatchObject({ status: 'queued', error: null });
    c.socket.close();
  });

  it('marks the customer unreachable when a report says they opted out (21610)', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550183');
    const m = await sentReply(c, 'hello');
    expect((await s.standin.fireStatus(m.sid, 'failed', 21610)).status).toBe(200);
    const contact = await eventually(
      () => s.gw().models.Contact.findById(c.contactId).lean(),
      (x) => x?.reachability.sms !== undefined,
    );
    expect(contact?.reachability.sms).toMatchObject({ reachable: false });
    c.socket.close();
  });
});
