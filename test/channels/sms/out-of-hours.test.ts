/**
 * A customer who texts while the inbox's calendar is closed gets one text saying when the
 * team opens again, however many messages they send and however often Twilio retries; none
 * while open.
 */
import { eventually } from '../../harness/gateway';
import { staysAt } from '../../harness/absence';
import { assignCalendar } from '../../harness/calendars';
import { incoming, smsInbox, smsSuite, textIn } from './desk';

const s = smsSuite();
const sendsTo = (to: string) => s.standin.sends.filter((m) => m.to === to);

describe('out-of-hours SMS reply', () => {
  it('is sent once per closed period, even for several texts and a retried webhook', async () => {
    const inbox = await smsInbox(s);
    await assignCalendar(s.gw(), inbox.admin.token, inbox.id, 'closed');
    const from = '+14155550171';
    const first = incoming(s, inbox, { from, body: 'Is the shop open?' });
    expect((await first.post()).status).toBe(200);
    const [reply] = await eventually(
      async () => sendsTo(from),
      (l) => l.length > 0,
      15_000,
    );
    expect(reply?.body).toMatch(
      /^Thanks for getting in touch\. We're closed right now and open again tomorrow at \d\d:\d\d/,
    );

    expect((await textIn(s, inbox, { from, body: 'Hello?' })).status).toBe(200);
    expect((await first.post()).status).toBe(200); // Twilio retries the first webhook
    await staysAt(async () => sendsTo(from).length, 1);
    const stored = await s.gw().models.Message.find({ inboxId: inbox.id, automatic: true }).lean();
    expect(stored).toHaveLength(1);
  });

  it('is not sent while the inbox is open', async () => {
    const inbox = await smsInbox(s);
    await assignCalendar(s.gw(), inbox.admin.token, inbox.id, 'open');
    const from = '+14155550172';
    expect((await textIn(s, inbox, { from, body: 'Open now?' })).status).toBe(200);
    await staysAt(async () => sendsTo(from).length, 0);
  });
});
