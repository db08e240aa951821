/** Nothing is stored twice: retried sends, provider retries and simultaneous first messages. */
import type { MessageView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway();

it('stores a widget message once however often the same client id is sent, even at once', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  const acks = await Promise.all(
    Array.from({ length: 8 }, () =>
      call<MessageView>(v, 'message:send', { clientId: 'same', text: 'only once' }),
    ),
  );
  expect(new Set(acks.map((a) => a.id)).size).toBe(1);
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(1);
  // A reconnect that resends is acknowledged with the stored message.
  v.close();
  const v2 = await connectVisitor(gw.url, s.token);
  const again = await call<MessageView>(v2, 'message:send', { clientId: 'same', text: 'only once' });
  expect(again.id).toBe(acks[0]!.id);
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(1);
  v2.close();
});

it('opens one conversation and one contact when a sender’s first messages arrive together', async () => {
  const { inbox } = await createDesk(gw);
  // Several senders at once, so that a message finding the new conversation can reach it
  // before the message that opened it.
  const senders = Array.from({ length: 8 }, (_, s) => `+1555000${String(1000 + s)}`);
  const results = await Promise.all(
    senders.flatMap((address) =>
      Array.from({ length: 6 }, (_, i) =>
        gw.app.ingest.ingest({
          inboxId: String(inbox._id),
          from: { channel: 'sms', address },
          dedupeKey: `${address}:SM${i}`,
          text: `part ${i}`,
        }),
      ),
    ),
  );
  expect(await gw.models.Conversation.countDocuments({ inboxId: inbox._id })).toBe(senders.length);
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(6 * senders.length);
  for (const [s, address] of senders.entries()) {
    const mine = results.slice(6 * s, 6 * s + 6);
    expect(new Set(mine.map((r) => r.conversationId)).size).toBe(1);
    expect(new Set(mine.map((r) => r.contactId)).size).toBe(1);
    expect(await gw.models.ContactIdentity.countDocuments({ key: `sms:${address}` })).toBe(1);
    const events = await gw.models.ConversationEvent.find(
      { conversationId: mine[0]!.conversationId },
      { type: 1 },
    ).lean();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    // Opened once, entered the queue once, one pickup clock.
    expect([count('conversation.opened'), count('conversation.queued'), count('sla.pickup_started')]).toEqual(
      [1, 1, 1],
    );
  }
});

it('recognises a provider retry by its message id and reports it as a duplicate', async () => {
  const { inbox } = await createDesk(gw);
  const msg = {
    inboxId: String(inbox._id),
    from: { channel: 'telegram' as const, address: '42' },
    dedupeKey: '42:7',
    text: 'hi',
  };
  const first = await gw.app.ingest.ingest(msg);
  const retry = await gw.app.ingest.ingest(msg);
  expect(first.duplicate).toBe(false);
  expect(retry).toMatchObject({
    duplicate: true,
    messageId: first.messageId,
    conversationId: first.conversationId,
  });
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(1);
});

it('stores and sends an agent reply once when the console resends it', async () => {
  const desk = await createDesk(gw);
  const agent = await desk.agent();
  const a = await connectAgent(gw.url, agent.token);
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  const received: MessageView[] = [];
  v.on('message', (m: MessageView) => received.push(m));
  const m = await call<MessageView>(v, 'message:send', { clientId: 'q', text: 'question' });
  await call(a, 'conversation:take', { conversationId: m.conversationId });
  const replies = await Promise.all(
    Array.from({ length: 4 }, () =>
      call<MessageView>(a, 'message:send', {
        conversationId: m.conversationId,
        clientId: 'reply-1',
        text: 'answer',
      }),
    ),
  );
  expect(new Set(replies.map((r) => r.id)).size).toBe(1);
  await eventually(
    async () => received.length,
    (n) => n >= 1,
  );
  const stored = await eventually(
    () => gw.models.Message.findById(replies[0]!.id).lean(),
    (x) => x?.delivery.status === 'delivered',
  );
  expect(stored?.delivery.status).toBe('delivered');
  expect(await gw.models.Message.countDocuments({ conversationId: m.conversationId, direction: 'out' })).toBe(
    1,
  );
  expect(received.filter((r) => r.text === 'answer')).toHaveLength(1);
  v.close();
  a.close();
});

it('stores a new conversation in one insert with everything its first message changes in it', async () => {
  const { inbox } = await createDesk(gw);
  const r = await gw.app.ingest.ingest({
    inboxId: String(inbox._id),
    from: { channel: 'sms', address: '+15550002222' },
    dedupeKey: 'SM-first',
    text: 'Where is my parcel?',
  });
  const conv = await gw.models.Conversation.findById(r.conversationId).lean();
  expect(conv).toMatchObject({
    status: 'queued',
    preview: { from: 'contact', text: 'Where is my parcel?' },
    number: r.conversation.number,
  });
  expect(conv!.clocks?.pickup?.dueAt).toBeInstanceOf(Date);
  expect(conv!.clocks?.resolution?.dueAt).toBeInstanceOf(Date);
  expect(conv!.nextClockAt).toEqual(conv!.clocks!.pickup!.warnAt ?? conv!.clocks!.pickup!.dueAt);
  expect(conv!.lastCustomerMessageAt!.getTime()).toBeLessThanOrEqual(new Date(r.message.createdAt).getTime());
  // Its number is the one the counter gave it, and the message belongs to it.
  expect(conv!.number).toBeGreaterThan(0);
  expect(await gw.models.Message.countDocuments({ conversationId: conv!._id })).toBe(1);
  const types = (
    await gw.models.ConversationEvent.find({ conversationId: conv!._id }).sort({ _id: 1 }).lean()
  ).map((e) => e.type);
  expect(types[0]).toBe('conversation.opened');
  expect(types[types.length - 1]).toBe('conversation.queued');
  expect(types).toEqual(expect.arrayContaining(['sla.pickup_started', 'sla.resolution_started']));
});
