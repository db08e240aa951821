/**
 * Agent replies leave by SMTP as part of the customer's thread, and the customer's next
 * reply — from Gmail with References, or from Outlook with only our Reply-To address —
 * lands in the same conversation, reopening it when it was resolved. A 5xx answer fails
 * the message for the agent to see; a 4xx one is retried.
 */
import type { MessageView } from '../../../shared/protocol';
import type { MessageDoc } from '../../../server/domain/message';
import {
  call,
  connectAgent,
  createAgent,
  eventually,
  nextEvent,
  suiteGateway,
  type AgentClient,
} from '../../harness/gateway';
import { createEmailInbox, fixture, suiteMailServers, unique } from './mail-servers';

const servers = suiteMailServers();
const gw = suiteGateway();
let teamId = '';
let agent: AgentClient;

beforeAll(async () => {
  ({ teamId } = await createEmailInbox(gw, servers));
  const a = await createAgent(gw, { name: 'Ana', teamIds: [teamId], capacity: 20 });
  agent = await connectAgent(gw.url, a.token);
});
afterAll(() => agent.close());

const stored = (messageId: string) =>
  eventually(
    () => gw.models.Message.findOne({ dedupeKey: `<${messageId}>` }).lean<MessageDoc>(),
    (m) => m !== null,
  ) as Promise<MessageDoc>;

/** A customer's new email, taken by the agent. */
async function openThread(subject: string) {
  const from = `c-${unique()}@customer.example`;
  const messageId = `${unique()}@mail.gmail.example`;
  await servers.dovecot.deliver(fixture('gmail-new.eml', { subject, messageId, from }));
  const m = await stored(messageId);
  const conversationId = String(m.conversationId);
  await call(agent, 'conversation:take', { conversationId });
  return { from, messageId, conversationId };
}

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
