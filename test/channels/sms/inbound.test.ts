/**
 * Customers text the company's Twilio number: only requests signed by the inbox's Twilio
 * account are stored, each message once, one contact per phone, with its MMS media.
 */
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  conversationsOf,
  incoming,
  messagesOf,
  smsInbox,
  smsSuite,
  textIn,
  webhookUrl,
} from './desk';

const s = smsSuite({ env: { ATTACHMENT_MAX_BYTES: '4096' } });
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('incoming SMS webhook', () => {
  it('stores a signed message and answers Twilio with empty TwiML', async () => {
    const inbox = await smsInbox(s);
    const res = await textIn(s, inbox, { from: '+14155550142', body: 'Is my order shipped?' });
    expect(res).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(res.type).toMatch(/^text\/xml/);

    const [m] = await messagesOf(s, inbox.id);
    expect(m).toMatchObject({ direction: 'in', text: 'Is my order shipped?' });
    const [conv] = await conversationsOf(s, inbox.id);
    expect(conv).toMatchObject({ channel: 'sms', status: 'queued' });
    const contact = await s.gw().models.Contact.findById(conv!.contactId).lean();
    expect(contact).toMatchObject({
      phone: '+14155550142',
      identities: [{ channel: 'sms', address: '+14155550142' }],
    });
  });

  it('refuses bad, missing and foreign signatures with 403 and stores nothing', async () => {
    const inbox = await smsInbox(s);
    const req = incoming(s, inbox, { from: '+14155550143', body: 'hi' });
    expect((await req.post('bm90IGEgc2lnbmF0dXJl')).status).toBe(403);
    expect((await req.post(null)).status).toBe(403);
    expect((await req.post(req.signedFor(req.url, req.params, '0'.repeat(32)))).status).toBe(403);
    // Signed over the address the gateway itself listens on, as a Host-based check would compute.
    const local = `${s.gw().url}/channels/sms/${inbox.key}/inbound`;
    expect((await req.post(req.signedFor(local))).status).toBe(403);
    expect((await req.post(req.signedFor(req.url, { ...req.params, Body: 'other' }))).status).toBe(403);

    expect(await messagesOf(s, inbox.id)).toHaveLength(0);
    expect(await s.gw().models.ContactIdentity.countDocuments({ key: 'sms:+14155550143' })).toBe(0);
    expect((await req.post()).status).toBe(200);
    expect(await messagesOf(s, inbox.id)).toHaveLength(1);
  });

  it('stores a replayed request and a redelivered MessageSid once', async () => {
    const inbox = await smsInbox(s);
    const req = incoming(s, inbox, { from: '+14155550144', body: 'once' });
    const replies = await Promise.all([1, 2, 3].map(() => req.post()));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    // Twilio's retry of the same message, with the same MessageSid.
    const retry = await textIn(s, inbox, {
      from: '+14155550144',
      body: 'once',
      messageSid: req.params.MessageSid,
    });
    expect(retry.status).toBe(200);
    expect((await messagesOf(s, inbox.id)).map((m) => m.text)).toEqual(['once']);
  });

  it('makes one contact and one conversation of one phone written in different ways', async () => {
    const inbox = await smsInbox(s);
    await textIn(s, inbox, { from: '+14155550145', body: 'first' });
    await textIn(s, inbox, { from: '+1 (415) 555-0145', body: 'second' });
    await textIn(s, inbox, { from: '415-555-0145', body: 'third', extra: { FromCountry: 'US' } });
    const convs = await conversationsOf(s, inbox.id);
    expect(convs).toHaveLength(1);
    expect((await messagesOf(s, inbox.id)).map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(await s.gw().models.ContactIdentity.countDocuments({ key: 'sms:+14155550145' })).toBe(1);
  });

  it('stores MMS media fetched with the account credentials, and a note for a file over the limit', async () => {
    const inbox = await smsInbox(s);
    const small = s.standin.putMedia(ACCOUNT_SID, PNG, 'image/png');
    const big = s.standin.putMedia(ACCOUNT_SID, Buffer.alloc(8192, 7), 'image/jpeg');
    const res = await textIn(s, inbox, {
      from: '+14155550146',
      body: 'Photos of the damage',
      media: [
        { url: small, contentType: 'image/png' },
        { url: big, contentType: 'image/jpeg' },
      ],
    });
    expect(res.status).toBe(200);
    const [m] = await messagesOf(s, inbox.id);
    expect(m!.text).toMatch(
      /^Photos of the damage\n\[mms-2\.jpg \(image\/jpeg, 8 KB\) is over the 4 KB limit and was not kept\]$/,
    );
    expect(m!.attachments).toEqual([
      expect.objectContaining({ name: 'mms-1.png', contentType: 'image/png', size: PNG.length }),
    ]);
    const file = await fetch(`${s.gw().url}${m!.attachments[0]!.url}`);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
    // Twilio's media URLs need the account's credentials: the stand-in refuses them without.
    expect((await fetch(small)).status).toBe(401);
  });

  it("signs over the inbox's own public URL when it has one, else the gateway's", async () => {
    const base = `https://inbox-${Date.now()}.example.test`;
    s.standin.route(base, s.gw().url);
    const inbox = await smsInbox(s, { publicUrl: `${base}/` });
    const req = incoming(s, inbox, { from: '+14155550148', body: 'x' }, base);
    expect((await req.post(req.signedFor(webhookUrl(s, inbox, 'inbound')))).status).toBe(403);
    expect((await req.post()).status).toBe(200);
  });

  it('answers 404 for an unknown inbox and 400 for a signed request that is no message', async () => {
    const inbox = await smsInbox(s);
    const unknown = await textIn(s, { key: 'no-such-inbox' }, { from: '+14155550147', body: 'x' });
    expect(unknown.status).toBe(404);
    const url = webhookUrl(s, inbox, 'inbound');
    const junk = await s.standin.postWebhook(url, { AccountSid: ACCOUNT_SID, Body: 'no sid' }, AUTH_TOKEN);
    expect(junk.status).toBe(400);
    expect(junk.body).toMatch(/MessageSid/);
    expect(await messagesOf(s, inbox.id)).toHaveLength(0);
  });
});
