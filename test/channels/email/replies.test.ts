/**
 * Agent replies leave by SMTP as part of the customer's thread, and the customer's next
 * reply — from Gmail with References, or from Outlook with only our Reply-To address —
 * lands in the same conversation, reopening it when it was resolved. A file the agent
 * uploaded goes out as an attachment of the reply. A 5xx answer fails the message for
 * the agent to see; a 4xx one is retried.
 */
import { randomBytes } from 'node:crypto';
import type { AttachmentView, MessageView } from '../../../shared/protocol';
import type { MessageDoc } from '../../../server/domain/message';
import { call, eventually, nextEvent, suiteGateway, type AgentClient } from '../../harness/gateway';
import {
  emailDesk,
  fixture,
  openThread as openMailThread,
  storedEmail,
  suiteMailServers,
  unique,
} from './mail-servers';

const servers = suiteMailServers();
const gw = suiteGateway();
let agent: AgentClient;
let agentToken = '';

beforeAll(async () => {
  ({ agent, agentToken } = await emailDesk(gw, servers));
});
afterAll(() => agent.close());

const stored = (messageId: string) => storedEmail(gw, messageId);
const openThread = (subject: string) => openMailThread(gw, servers, agent, subject);

async function reply(conversationId: string, text: string) {
  return call<MessageView>(agent, 'message:send', { conversationId, clientId: unique(), text });
}

it("sends the reply in the customer's thread, and the customer's Gmail reply lands in the same conversation", async () => {
  const t = await openThread('Cracked screen');
  const sent = await reply(
    t.conversationId,
    'We are sorry <b>about</b> the screen. Which address should we send it to?',
  );
  const mail = await servers.smtp.next((r) => r.envelope.to.includes(t.from));

  const out = await eventually(
    () => gw.models.Message.findById(sent.id).lean<MessageDoc>(),
    (m) => m?.delivery.status === 'sent',
  );
  const ourId = out?.meta.messageId as string;
  expect(mail.mail.messageId).toBe(ourId);
  expect(mail.mail.inReplyTo).toBe(`<${t.messageId}>`);
  expect(mail.header('references')).toBe(`<${t.messageId}>`);
  expect(mail.mail.subject).toBe('Re: Cracked screen');
  expect(mail.mail.from?.value[0]).toMatchObject({ name: 'Acme Support', address: 'support@example.test' });
  expect(mail.mail.replyTo?.value[0]?.address).toMatch(/^support\+c-[a-z2-7]{32}@example\.test$/);
  expect(mail.mail.text?.trim()).toBe(
    'We are sorry <b>about</b> the screen. Which address should we send it to?',
  );
  expect(mail.mail.html).toContain('We are sorry &lt;b&gt;about&lt;/b&gt; the screen.');
  expect(mail.header('auto-submitted')).toBeNull();

  const answerId = `${unique()}@mail.gmail.example`;
  await servers.dovecot.deliver(
    fixture('gmail-reply.eml', {
      subject: 'Cracked screen',
      messageId: answerId,
      from: t.from,
      to: 'support@example.test',
      inReplyTo: ourId,
      references: `<${t.messageId}> ${ourId}`,
    }),
  );
  const answer = await stored(answerId);
  expect(String(answer.conversationId)).toBe(t.conversationId);
  expect(answer.text).toBe('Thanks! The address is still Hauptstraße 5, Berlin.');

  // The next reply continues the chain.
  await reply(t.conversationId, 'Shipped today.');
  const second = await servers.smtp.next(
    (r) => r.envelope.to.includes(t.from) && r.mail.inReplyTo === `<${answerId}>`,
  );
  expect(second.header('references')?.replace(/\s+/g, ' ')).toBe(`<${t.messageId}> ${ourId} <${answerId}>`);
  expect(second.mail.subject).toBe('Re: Cracked screen');
});

it('files an Outlook reply without threading headers by the Reply-To token, and reopens a resolved conversation', async () => {
  const t = await openThread('Wrong colour');
  await reply(t.conversationId, 'Which colour did you order?');
  const mail = await servers.smtp.next((r) => r.envelope.to.includes(t.from));
  await call(agent, 'conversation:resolve', { conversationId: t.conversationId });

  const answerId = `${unique()}@outlook.example`;
  const to = mail.mail.replyTo?.value[0]?.address ?? '';
  await servers.dovecot.deliver(
    fixture('outlook-reply.eml', { subject: 'Wrong colour', messageId: answerId, from: t.from, to }),
    { to },
  );
  const answer = await stored(answerId);
  expect(String(answer.conversationId)).toBe(t.conversationId);
  expect(answer.text).toBe('Yes, please send it by express.\n\nBest regards\nJane Customer');
  // The message is stored first; the conversation's reopening follows within the same ingest.
  await eventually(
    () =>
      gw.models.ConversationEvent.countDocuments({
        conversationId: t.conversationId,
        type: 'conversation.reopened',
      }),
    (n) => n === 1,
  );
  expect((await gw.models.Conversation.findById(t.conversationId).lean())?.status).toBe('queued');
});

it('opens a new conversation for a new thread from the same customer', async () => {
  const t = await openThread('First topic');
  const messageId = `${unique()}@mail.gmail.example`;
  await servers.dovecot.deliver(
    fixture('gmail-new.eml', { subject: 'Second topic', messageId, from: t.from }),
  );
  const m = await stored(messageId);
  expect(String(m.conversationId)).not.toBe(t.conversationId);
});

it('sends a file the agent uploaded as an attachment with its name, type and exact bytes, beside the text and HTML parts', async () => {
  const t = await openThread('Manual');
  // Every byte value, so any re-encoding on the way would show.
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(64 * 1024),
    Buffer.from('\n%%EOF\n'),
  ]);
  const upload = await fetch(`${gw.url}/api/uploads?name=manual.pdf`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', authorization: `Bearer ${agentToken}` },
    body: pdf,
  });
  expect(upload.status).toBe(201);
  const { attachment } = (await upload.json()) as { attachment: AttachmentView };
  const sent = await call<MessageView>(agent, 'message:send', {
    conversationId: t.conversationId,
    clientId: unique(),
    text: 'The manual is attached.\n\nPage 4 shows the reset.',
    attachments: [attachment],
  });
  expect(sent.attachments.map((a) => a.name)).toEqual(['manual.pdf']);

  const mail = await servers.smtp.next((r) => r.envelope.to.includes(t.from));
  expect(mail.header('content-type')).toMatch(/^multipart\/mixed;/);
  expect(mail.mail.text?.trim()).toBe('The manual is attached.\n\nPage 4 shows the reset.');
  expect(mail.mail.html).toContain('<p>The manual is attached.</p>\n<p>Page 4 shows the reset.</p>');
  expect(mail.mail.attachments).toHaveLength(1);
  const file = mail.mail.attachments[0];
  expect(file?.filename).toBe('manual.pdf');
  expect(file?.contentType).toBe('application/pdf');
  expect(file?.contentDisposition).toBe('attachment');
  expect(file?.size).toBe(pdf.length);
  expect(file?.content.equals(pdf)).toBe(true);
  await eventually(
    () => gw.models.Message.findById(sent.id).lean<MessageDoc>(),
    (m) => m?.delivery.status === 'sent',
  );
});

it('marks a reply the mail server refuses with 5xx as failed, with the reason, without retrying', async () => {
  const t = await openThread('Refused');
  servers.smtp.failNext(550, '5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown');
  const before = servers.smtp.received.length;
  const updated = nextEvent<MessageView>(agent, 'message:updated', (m) => m.delivery.status === 'failed');
  const sent = await reply(t.conversationId, 'Hello?');
  const failed = await updated;
  expect(failed.id).toBe(sent.id);
  expect(failed.delivery.error).toMatch(/User unknown.*\(550\)/);
  const stored = await gw.models.Message.findById(sent.id).lean();
  expect(stored?.delivery.status).toBe('failed');
  expect(servers.smtp.received.length).toBe(before);
});

it('retries a reply the mail server defers with 4xx until it is accepted', async () => {
  const t = await openThread('Deferred');
  servers.smtp.failNext(451, '4.7.1 Try again later');
  const sent = await reply(t.conversationId, 'Second try works.');
  const mail = await servers.smtp.next((r) => r.envelope.to.includes(t.from));
  expect(mail.mail.text?.trim()).toBe('Second try works.');
  await eventually(
    () => gw.models.Message.findById(sent.id).lean<MessageDoc>(),
    (m) => m?.delivery.status === 'sent',
  );
});
