/** Which conversation a message lands in: reopening recent ones, new ones after the window, machine mail filed quietly. */
import { call, connectAgent, createDesk, suiteGateway } from '../harness/gateway';

// The window is long enough for a loaded machine; "after the window" is set by moving resolvedAt back.
const gw = suiteGateway({ env: { REOPEN_WINDOW_MS: '30000' } });

const from = (address: string) => ({ channel: 'sms' as const, address });

async function resolvedConversation(address: string) {
  const desk = await createDesk(gw);
  const agent = await desk.agent();
  const a = await connectAgent(gw.url, agent.token);
  const first = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: from(address),
    dedupeKey: `${address}-1`,
    text: 'hi',
  });
  await call(a, 'conversation:take', { conversationId: first.conversationId });
  await call(a, 'conversation:resolve', { conversationId: first.conversationId });
  a.close();
  return { desk, first };
}

it('reopens a conversation resolved within the reopen window, into the queue with a new pickup clock', async () => {
  const { desk, first } = await resolvedConversation('+15550000001');
  const again = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: from('+15550000001'),
    dedupeKey: '+15550000001-2',
    text: 'still broken',
  });
  expect(again.conversationId).toBe(first.conversationId);
  const conv = await gw.models.Conversation.findById(first.conversationId).lean();
  expect(conv).toMatchObject({ status: 'queued', resolvedAt: null });
  expect(conv?.clocks?.pickup).not.toBeNull();
  expect(
    await gw.models.ConversationEvent.countDocuments({
      conversationId: first.conversationId,
      type: 'conversation.reopened',
    }),
  ).toBe(1);
});

it('opens a new conversation once the window has passed', async () => {
  const { desk, first } = await resolvedConversation('+15550000002');
  await gw.models.Conversation.updateOne(
    { _id: first.conversationId },
    { $set: { resolvedAt: new Date(Date.now() - 60_000) } },
  );
  const later = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: from('+15550000002'),
    dedupeKey: '+15550000002-2',
    text: 'new topic',
  });
  expect(later.conversationId).not.toBe(first.conversationId);
  expect(later.contactId).toBe(first.contactId);
  const numbers = (await gw.models.Conversation.find({ contactId: first.contactId }).lean()).map(
    (c) => c.number,
  );
  expect(new Set(numbers).size).toBe(2);
});

it('files machine mail on a resolved conversation without reopening it, and owes it no reply', async () => {
  const { desk, first } = await resolvedConversation('bounce@example.test');
  const bounce = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: from('bounce@example.test'),
    dedupeKey: 'bounce-1',
    text: 'Out of office',
    automated: true,
  });
  expect(bounce.conversationId).toBe(first.conversationId);
  const conv = await gw.models.Conversation.findById(first.conversationId).lean();
  expect(conv?.status).toBe('resolved');
  expect(conv?.clocks?.pickup).toBeNull();
  const stored = await gw.models.Message.findById(bounce.messageId).lean();
  expect(stored?.meta).toMatchObject({ automated: true });
});

it('files machine mail that answers nothing as its own resolved conversation, never queued or timed', async () => {
  const desk = await createDesk(gw);
  const letters = [1, 2].map((n) =>
    gw.app.ingest.ingest({
      inboxId: String(desk.inbox._id),
      from: from('newsletter@example.test'),
      dedupeKey: `newsletter-${n}`,
      text: `Issue ${n} of our newsletter`,
      automated: true,
    }),
  );
  const filed = await Promise.all(letters);
  for (const f of filed) {
    const conv = await gw.models.Conversation.findById(f.conversationId).lean();
    expect(conv).toMatchObject({ status: 'resolved', nextClockAt: null });
    expect(conv?.clocks?.pickup ?? null).toBeNull();
    expect(conv?.clocks?.reply ?? null).toBeNull();
    expect(conv?.lastCustomerMessageAt ?? null).toBeNull();
  }
  expect(await gw.models.Conversation.countDocuments({ inboxId: desk.inbox._id, status: 'queued' })).toBe(0);
  // A person writing from that address afterwards gets a conversation in the queue as usual.
  const person = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: from('newsletter@example.test'),
    dedupeKey: 'person-1',
    text: 'Please unsubscribe me',
  });
  const conv = await gw.models.Conversation.findById(person.conversationId).lean();
  expect(conv?.status).toBe('queued');
  expect(conv?.clocks?.pickup).not.toBeNull();
});
