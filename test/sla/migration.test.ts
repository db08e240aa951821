/**
 * Conversations stored with the old `pickupClock` field move to `clocks.pickup` when the
 * gateways start (two at once here), keep their deadline, and breach once.
 */
import type { MessageView } from '../../shared/protocol';
import {
  call,
  connectVisitor,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  uniqueDbName,
} from '../harness/gateway';

jest.setTimeout(90_000);

it('moves an old pickupClock to clocks.pickup at start-up, idempotently, and still breaches once', async () => {
  const dbName = uniqueDbName('migrate');
  const env = { SLA_SWEEP_INTERVAL_MS: '200' };
  const first = await startGateway({ dbName, env });
  const desk = await createDesk(first, { sla: { pickupTargetMs: 15_000 } });
  const v = await connectVisitor(first.url, (await openVisitorSession(first.url, desk.inbox.key)).token);
  const m = await call<MessageView>(v, 'message:send', { clientId: 'old-1', text: 'from before' });
  v.close();
  // Store the conversation as the previous version did: one field per clock, no catalogue.
  const now = await first.models.Conversation.findById(m.conversationId).lean();
  const pickup = now?.clocks?.pickup;
  if (!pickup) throw new Error('the pickup clock should run');
  const legacy = {
    startedAt: pickup.startedAt,
    dueAt: pickup.dueAt,
    warnAt: pickup.warnAt,
    targetMs: pickup.targetMs,
    warnedAt: null,
    breachedAt: null,
  };
  await first.models.Conversation.collection.updateOne(
    { _id: now._id },
    { $set: { pickupClock: legacy, replyClock: null }, $unset: { clocks: '', nextClockAt: '' } },
  );
  await first.close();

  const [a, b] = await Promise.all([startGateway({ dbName, env }), startGateway({ dbName, env })]);
  try {
    const raw = await a.models.Conversation.collection.findOne({ _id: now._id });
    expect(raw).not.toHaveProperty('pickupClock');
    expect(raw).not.toHaveProperty('replyClock');
    const moved = await a.models.Conversation.findById(m.conversationId).lean();
    expect(moved?.clocks?.pickup).toMatchObject({ ...legacy, businessHours: false, policy: null });
    expect(moved?.nextClockAt).toEqual(legacy.warnAt);

    const conversationId = m.conversationId;
    // The breach is done once the clock is marked and its escalation carried out.
    const after = await eventually(
      () => a.models.Conversation.findById(conversationId).lean(),
      (c) => Boolean(c?.clocks?.pickup?.breachedAt) && !c?.clocks?.pickup?.escalating,
      40_000,
    );
    expect(after?.priority).toBe(2);
    await Promise.all([a.app.sla.sweep(), b.app.sla.sweep()]);
    expect(await a.models.ConversationEvent.countDocuments({ conversationId, type: 'sla.breached' })).toBe(1);
    expect(await a.models.ConversationEvent.countDocuments({ conversationId, type: 'sla.warning' })).toBe(1);
  } finally {
    await a.close();
    await b.app.db.dropDatabase().catch(() => undefined);
    await b.close();
  }
});
