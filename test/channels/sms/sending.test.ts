/**
 * Agent replies leave through the real Twilio SDK at the inbox's send rate: Twilio's
 * Message SID is kept, throttling and outages are retried, and a permanent refusal is
 * shown on the message with Twilio's code.
 */
import twilio from 'twilio';
import { standinHttpClient } from '../../../channels/sms/standin';
import type { MessageView } from '../../../shared/protocol';
import { eventually, nextEvent } from '../../harness/gateway';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  OUR_NUMBER,
  conversationFrom,
  settled,
  smsInbox,
  smsSuite,
  textIn,
} from './desk';

const s = smsSuite();
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const FAST = { sendRate: 50 };

describe('sending SMS', () => {
  it('sends a reply from the inbox number with a status callback and keeps the Message SID', async () => {
    const inbox = await smsInbox(s, FAST);
    const c = await conversationFrom(s, inbox, '+14155550160');
    const sent = await c.reply('Your order left the warehouse today.');
    const m = await settled(s, sent.id, (x) => x.delivery.providerId !== null);
    expect(m.delivery.status).toBe('queued');

    const at = s.standin.sends.find((x) => x.sid === m.delivery.providerId);
    expect(at).toMatchObject({
      to: '+14155550160',
      from: OUR_NUMBER,
      body: 'Your order left the warehouse today.',
      statusCallback: `${s.publicUrl}/channels/sms/${inbox.key}/status`,
    });
    const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: standinHttpClient(s.standin) });
    const fetched = await client.messages(m.delivery.providerId!).fetch();
    expect(fetched).toMatchObject({ sid: m.delivery.providerId, status: 'queued', to: '+14155550160' });
    c.socket.close();
  });

  it('sends with an API key through a Messaging Service, and shows refused credentials', async () => {
    const keySid = `SK${'b2'.repeat(16)}`;
    s.standin.addApiKey(ACCOUNT_SID, keySid, 'api-key-secret-0123456789');
    const service = `MG${'c3'.repeat(16)}`;
    const keyed = { ...FAST, from: undefined, messagingServiceSid: service, apiKeySid: keySid };
    const inbox = await smsInbox(s, { ...keyed, apiKeySecret: 'api-key-secret-0123456789' });
    const c = await conversationFrom(s, inbox, '+14155550161');
    const m = await settled(
      s,
      (await c.reply('Sent via the service')).id,
      (x) => x.delivery.providerId !== null,
    );
    expect(m.delivery.status).toBe('queued');
    expect(s.standin.messages.get(m.delivery.providerId!)).toMatchObject({
      messaging_service_sid: service,
      from: null,
      status: 'accepted',
    });

    // The admin API never gives the secrets back.
    const listed = await fetch(`${s.gw().url}/api/inboxes`, {
      headers: { authorization: `Bearer ${inbox.admin.token}` },
    });
    const { inboxes } = (await listed.json()) as {
      inboxes: { id: string; settings: Record<string, unknown> }[];
    };
    expect(inboxes.find((i) => i.id === inbox.id)?.settings).toMatchObject({
      accountSid: ACCOUNT_SID,
      authToken: '[set]',
      apiKeySecret: '[set]',
      messagingServiceSid: service,
    });

    const wrong = await smsInbox(s, { ...keyed, apiKeySecret: 'not-the-right-secret-000' });
    const w = await conversationFrom(s, wrong, '+14155550162');
    const failed = await settled(s, (await w.reply('nope')).id, (x) => x.delivery.status === 'failed');
    expect(failed.delivery.error).toBe('Twilio rejected the inbox credentials (20003)');
    c.socket.close();
    w.socket.close();
  });

  it('sends an attachment as MMS media at its public address, which Twilio can fetch', async () => {
    const inbox = await smsInbox(s, FAST);
    const c = await conversationFrom(s, inbox, '+14155550163');
    const media = s.standin.putMedia(ACCOUNT_SID, PNG, 'image/png');
    const r = await textIn(s, inbox, {
      from: '+14155550163',
      body: '',
      media: [{ url: media, contentType: 'image/png' }],
    });
    expect(r.status).toBe(200);
    const withMedia = await s
      .gw()
      .models.Message.findOne({ inboxId: inbox.id, 'attachments.0': { $exists: true } })
      .lean();
    const attachment = withMedia!.attachments[0]!;
    const sent = await c.reply('Is this the one?', [
      {
        name: attachment.name,
        contentType: attachment.contentType,
        size: attachment.size,
        url: attachment.url,
      },
    ]);
    const m = await settled(s, sent.id, (x) => x.delivery.providerId !== null);
    const record = s.standin.sends.find((x) => x.sid === m.delivery.providerId)!;
    expect(record.mediaUrls).toEqual([`${s.publicUrl}${attachment.url}`]);
    // What Twilio does with it: fetch it from the public address.
    const routed = record.mediaUrls[0]!.replace(s.publicUrl, s.gw().url);
    expect(Buffer.from(await (await fetch(routed)).arrayBuffer())).toEqual(PNG);
    c.socket.close();
  });

  it('keeps to the configured send rate under a burst of replies', async () => {
    const inbox = await smsInbox(s, { sendRate: 5 });
    const c = await conversationFrom(s, inbox, '+14155550164');
    const before = s.standin.sends.length;
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await c.reply(`part ${i + 1}`));
    for (const m of sent) await settled(s, m.id, (x) => x.delivery.providerId !== null);
    const times = s.standin.sends
      .slice(before)
      .filter((x) => x.to === '+14155550164')
      .map((x) => x.at);
    expect(times).toHaveLength(6);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 5 per second: the queue starts one send every 200 ms; what reaches Twilio varies by the
    // few database reads before each request, so allow 100 ms of jitter per gap.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(100);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(5 * 200 - 100);
    c.socket.close();
  });

  it("retries after Twilio's 429 no sooner than Retry-After, and after a 503", async () => {
    const inbox = await smsInbox(s, FAST);
    const c = await conversationFrom(s, inbox, '+14155550165');
    s.standin.throttleNext(2, 1);
    const m = await settled(
      s,
      (await c.reply('after the throttle')).id,
      (x) => x.delivery.providerId !== null,
    );
    const tries = s.standin.attempts.filter((a) => a.to === '+14155550165').map((a) => a.at);
    expect(tries).toHaveLength(3);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(950);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(950);
    expect(s.standin.sends.filter((x) => x.to === '+14155550165')).toHaveLength(1);
    expect(m.delivery.status).toBe('queued');

    s.standin.failNext(1);
    await settled(s, (await c.reply('after the outage')).id, (x) => x.delivery.providerId !== null);
    expect(s.standin.attempts.filter((a) => a.to === '+14155550165')).toHaveLength(5);
    c.socket.close();
  });

  it('keeps replies in the order they were written when the first must be retried', async () => {
    const inbox = await smsInbox(s, FAST);
    const c = await conversationFrom(s, inbox, '+14155550169');
    s.standin.failNext(1);
    const first = await c.reply('First: your parcel is delayed.');
    const second = await c.reply('Second: it arrives tomorrow.');
    await settled(s, second.id, (x) => x.delivery.providerId !== null);
    await settled(s, first.id, (x) => x.delivery.providerId !== null);
    expect(s.standin.sends.filter((x) => x.to === '+14155550169').map((x) => x.body)).toEqual([
      'First: your parcel is delayed.',
      'Second: it arrives tomorrow.',
    ]);
    expect(s.standin.attempts.filter((a) => a.to === '+14155550169')).toHaveLength(3);
    c.socket.close();
  });

  it('fails an opted-out number at once with 21610, shows it live and marks the customer unreachable', async () => {
    const inbox = await smsInbox(s, FAST);
    const c = await conversationFrom(s, inbox, '+14155550166');
    s.standin.optedOut.add('+14155550166');
    const shown = nextEvent<MessageView>(c.socket, 'message:updated', (m) => m.delivery.status === 'failed');
    const sent = await c.reply('Are you there?');
    const live = await shown;
    expect(live).toMatchObject({
      id: sent.id,
      delivery: { status: 'failed', error: 'The customer opted out of SMS (replied STOP) (21610)' },
    });
    const contact = await eventually(
      () => s.gw().models.Contact.findById(c.contactId).lean(),
      (x) => x?.reachability.sms !== undefined,
    );
    expect(contact?.reachability.sms).toMatchObject({ reachable: false });
    // The contact is updated first, then the timeline.
    await eventually(
      async () =>
        (await s.gw().models.ConversationEvent.find({ conversationId: c.conversationId }).lean()).map(
          (e) => e.type,
        ),
      (types) => types.includes('message.failed') && types.includes('contact.unreachable'),
    );

    // A later send on the same inbox goes through, and the refused one was tried only once.
    const other = await conversationFrom(s, inbox, '+14155550167');
    await settled(s, (await other.reply('hello')).id, (x) => x.delivery.providerId !== null);
    expect(s.standin.attempts.filter((a) => a.to === '+14155550166')).toHaveLength(1);
    c.socket.close();
    other.socket.close();
  });

  it('fails an invalid number with 21211 without marking the customer unreachable', async () => {
    const inbox = await smsInbox(s, FAST);
    // A number of the right length that no carrier has issued.
    const c = await conversationFrom(s, inbox, '+447700900123');
    const m = await settled(
      s,
      (await c.reply('Hello from support')).id,
      (x) => x.delivery.status === 'failed',
    );
    expect(m.delivery.error).toBe('The number is not a valid phone number (21211)');
    const contact = await s.gw().models.Contact.findById(c.contactId).lean();
    expect(contact?.reachability.sms).toBeUndefined();
    c.socket.close();
  });
});
