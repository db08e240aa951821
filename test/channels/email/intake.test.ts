/**
 * Mail reaching a real IMAP server (Dovecot, delivered by LMTP) becomes conversations:
 * within seconds through IDLE, the new part as text, safe HTML, attachments and the raw
 * source kept, acknowledged on the server only once stored, machine mail never answered.
 */
import { ImapFlow } from 'imapflow';
import type { MessageDoc } from '../../../server/domain/message';
import { eventually, suiteGateway } from '../../harness/gateway';
import { createEmailInbox, fixture, inboxState, suiteMailServers, unique } from './mail-servers';

const servers = suiteMailServers();
const gw = suiteGateway();
let inboxId = '';
let admin = '';

beforeAll(async () => {
  ({ inboxId, admin } = await createEmailInbox(gw, servers, { autoAcknowledge: { enabled: true } }));
  await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'ok',
  );
});

const stored = (messageId: string, timeoutMs = 10_000) =>
  eventually(
    () => gw.models.Message.findOne({ dedupeKey: `<${messageId}>` }).lean<MessageDoc>(),
    (m) => m !== null,
    timeoutMs,
    25,
  ) as Promise<MessageDoc>;

async function deliver(name: string, values: Record<string, string> = {}, envelopeFrom?: string) {
  const messageId = `${unique()}@client.example`;
  const from = values.from ?? `c-${unique()}@customer.example`;
  await servers.dovecot.deliver(fixture(name, { subject: 'Cracked screen', ...values, messageId, from }), {
    from: envelopeFrom ?? from,
  });
  return { messageId, from };
}

async function download(url: string | undefined): Promise<Buffer> {
  const res = await fetch(`${gw.url}${url ?? ''}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

it('stores a new email within seconds of its arrival (IDLE) as a new conversation', async () => {
  const started = Date.now();
  const { messageId, from } = await deliver('gmail-new.eml');
  const m = await stored(messageId);
  expect(Date.now() - started).toBeLessThan(3000);

  expect(m.text).toBe(
    'Hello,\n\nMy order #4411 arrived with a cracked screen. Can you send a replacement?\n\nThanks,\nJane',
  );
  expect(m.html).toContain('My order #4411 arrived');
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  expect(conv).toMatchObject({
    channel: 'email',
    subject: 'Cracked screen',
    threadKey: `<${messageId}>`,
    status: 'queued',
  });
  const contact = await gw.models.Contact.findById(conv?.contactId).lean();
  expect(contact).toMatchObject({ name: 'Jane Customer', email: from });
  expect(m.meta).toMatchObject({ messageId: `<${messageId}>`, subject: 'Cracked screen' });
});

it('keeps the raw source for agents and acknowledges the mail on the server only after storing it', async () => {
  const { messageId } = await deliver('gmail-new.eml', { subject: 'Raw please' });
  const m = await stored(messageId);
  const raw = m.attachments.find((a) => a.name === 'original-message.eml');
  expect(raw?.contentType).toBe('message/rfc822');
  const eml = (await download(raw?.url)).toString('utf8');
  expect(eml).toContain(`Message-ID: <${messageId}>`);
  expect(eml).toContain('Subject: Raw please');

  const imap = m.meta.imap as { uid: number; uidValidity: string };
  const checkpoint = await eventually(
    () => gw.models.ChannelCheckpoint.findOne({ key: `${inboxId}:imap:INBOX` }).lean(),
    (c) => Number(c?.value.lastUid) >= imap.uid,
  );
  expect(checkpoint?.value.uidValidity).toBe(imap.uidValidity);

  const client = new ImapFlow({
    host: servers.dovecot.host,
    port: servers.dovecot.imapPort,
    secure: false,
    auth: { user: servers.dovecot.user, pass: servers.dovecot.password },
    logger: false,
  });
  await client.connect();
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    const flags = await client.fetchOne(String(imap.uid), { flags: true }, { uid: true });
    expect(flags && [...(flags.flags ?? [])]).toContain('\\Seen');
  } finally {
    await client.logout();
  }
});

it('acknowledges a customer automatically, as an automatic reply that leaves the pickup clock running', async () => {
  const { messageId, from } = await deliver('gmail-new.eml', { subject: 'Where is my parcel' });
  const ack = await servers.smtp.next((r) => r.envelope.to.includes(from));
  const m = await stored(messageId);
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  expect(ack.header('auto-submitted')).toBe('auto-replied');
  expect(ack.mail.inReplyTo).toBe(`<${messageId}>`);
  expect(ack.mail.subject).toBe('Re: Where is my parcel');
  expect(ack.mail.text).toContain(`conversation #${conv?.number}`);
  const sent = await gw.models.Message.find({ conversationId: m.conversationId, direction: 'out' }).lean();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ automatic: true, sender: { type: 'system' } });
  expect(conv?.clocks?.pickup?.targetMs).toBe(4 * 3600_000);
});

it('files auto-replies, bounces and list mail as machine mail and never acknowledges them', async () => {
  const machines = [
    await deliver('auto-reply.eml', { inReplyTo: '<unknown@example.test>' }),
    await deliver('bounce.eml', { from: 'MAILER-DAEMON@mx.example.test' }, ''),
    await deliver('newsletter.eml'),
  ];
  // A person's mail after them: once its acknowledgement is out, theirs would have been too.
  const person = await deliver('gmail-new.eml', { subject: 'After the machines' });
  await servers.smtp.next((r) => r.envelope.to.includes(person.from));
  for (const { messageId, from } of machines) {
    const m = await stored(messageId);
    expect(m.meta).toMatchObject({ automated: true });
    expect(typeof m.meta.automatedReason).toBe('string');
    expect(
      await gw.models.Message.countDocuments({ conversationId: m.conversationId, direction: 'out' }),
    ).toBe(0);
    expect(servers.smtp.received.filter((r) => r.envelope.to.includes(from.toLowerCase()))).toHaveLength(0);
  }
});

it('stores attachments and inline images, and points the HTML at the stored image', async () => {
  const { messageId } = await deliver('attachments.eml', { subject: 'Damaged item' });
  const m = await stored(messageId);
  expect(m.attachments.map((a) => a.name).sort()).toEqual([
    'damage.png',
    'original-message.eml',
    'receipt.pdf',
  ]);
  const pdf = m.attachments.find((a) => a.name === 'receipt.pdf');
  expect((await download(pdf?.url)).subarray(0, 8).toString()).toBe('%PDF-1.4');
  const png = m.attachments.find((a) => a.name === 'damage.png');
  expect(m.html).toContain(`src="${png?.url}"`);
  expect(m.text).toBe('Photo of the damage is inline, the receipt is attached.');
});

it('reads HTML-only mail as text and keeps only safe HTML', async () => {
  const { messageId } = await deliver('html-only.eml', { subject: 'Invoice' });
  const m = await stored(messageId);
  expect(m.text).toContain('The invoice total is wrong.');
  expect(m.html).toContain('<b>wrong</b>');
  for (const bad of ['<script', 'onload', 'javascript:', '<iframe', 'tracker.example'])
    expect(m.html).not.toContain(bad);
});

it('reads the text of HTML-only mail that carries an attachment', async () => {
  const { messageId } = await deliver('html-attachment.eml', { subject: 'Receipt' });
  const m = await stored(messageId);
  expect(m.text).toContain('Please see the attached receipt.');
  expect(m.text).toContain('Order 5521');
  expect(m.attachments.map((a) => a.name)).toContain('receipt.pdf');
});

it('decodes Chinese mail in GB18030 and UTF-8 with encoded subjects and names', async () => {
  const gb = await deliver('chinese-gb18030.eml');
  const m1 = await stored(gb.messageId);
  expect(m1.text).toBe('你好，\n\n我上周申请的退款还没有到账，请帮忙查一下。\n\n谢谢！\n李雷');
  const c1 = await gw.models.Conversation.findById(m1.conversationId).lean();
  expect(c1?.subject).toBe('订单退款问题');
  expect(m1.sender.name).toBe('李雷');

  const utf = await deliver('chinese-utf8.eml');
  const m2 = await stored(utf.messageId);
  expect(m2.text).toBe('您好：\n\n请把发票抬头改为“北京示例科技有限公司”。');
  expect((await gw.models.Conversation.findById(m2.conversationId).lean())?.subject).toBe('发票抬头需要修改');
});

it('keeps the content of forwarded mail', async () => {
  const { messageId } = await deliver('forwarded.eml', { subject: 'Delivery failed' });
  const m = await stored(messageId);
  expect(m.text).toContain('Please look at the mail below from your courier.');
  expect(m.text).toContain('Parcel 00340434161234567 could not be delivered');
});

it('stores a message delivered twice (same Message-ID) once', async () => {
  const messageId = `${unique()}@client.example`;
  const raw = fixture('gmail-new.eml', { subject: 'Twice', messageId, from: 'twice@customer.example' });
  await servers.dovecot.deliver(raw);
  await servers.dovecot.deliver(raw);
  // Mail is read in UID order: once a later message is stored, both copies have been read.
  const marker = await deliver('gmail-new.eml', { subject: 'Marker' });
  await stored(marker.messageId);
  expect(await gw.models.Message.countDocuments({ dedupeKey: `<${messageId}>` })).toBe(1);
});
