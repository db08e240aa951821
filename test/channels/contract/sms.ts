/** SMS as the conformance suite drives it: the Twilio stand-in's signed webhooks and Messages API. */
import { randomBytes } from 'node:crypto';
import { smsInbox, smsSuite, textIn, type SmsInbox } from '../sms/desk';
import type { ChannelDriver } from './driver';

export function smsDriver(): ChannelDriver {
  const s = smsSuite();
  let inbox: SmsInbox | null = null;
  let next = 100 + Math.floor(Math.random() * 800);
  const hand = async (from: string, text: string, messageSid?: string) => {
    if (!inbox) throw new Error('the inbox is made in start()');
    const res = await textIn(s, inbox, { from, body: text, messageSid });
    if (res.status !== 200) throw new Error(`inbound webhook: ${res.status} ${res.body}`);
  };
  return {
    kind: 'sms',
    refusal: {
      refuse: (to) => s.standin.optedOut.add(to),
      accept: (to) => s.standin.optedOut.delete(to),
    },
    async start() {
      inbox = await smsInbox(s);
      return { gw: s.gw(), inboxId: inbox.id };
    },
    async customer() {
      return `+1415555${String(next++).padStart(4, '0')}`;
    },
    async deliver(from, text) {
      const providerId = `SM${randomBytes(16).toString('hex')}`;
      await hand(from, text, providerId);
      return { from, text, providerId };
    },
    deliverAgain: (d) => hand(d.from, d.text, d.providerId),
    sent: () => s.standin.sends.map((r) => ({ to: r.to, text: r.body, providerId: r.sid })),
    async confirm(providerId) {
      const res = await s.standin.fireStatus(providerId, 'delivered');
      if (res.status !== 200) throw new Error(`status callback: ${res.status} ${res.body}`);
    },
    async stop() {},
  };
}
