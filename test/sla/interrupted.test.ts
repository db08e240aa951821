/**
 * A process that dies part-way through a breach leaves the clock due: the next settle
 * (a survivor's sweep) carries the breach and its escalation to the end, each step once.
 */
import { Timeline } from '../../server/ingest/timeline';
import type { MessageView } from '../../shared/protocol';
import { call, connectVisitor, createDesk, openVisitorSession, suiteGateway } from '../harness/gateway';

// Neither timers nor the periodic sweep act by themselves here: the test sweeps.
const gw = suiteGateway({ env: { SLA_SWEEP_INTERVAL_MS: '600000' } });

/** A waiting conversation whose pickup deadline passed a second ago without any timer acting. */
async function overdueConversation() {
  const { inbox } = await createDesk(gw, { sla: { pickupTargetMs: 600_000 } });
  const s = await openVisitorSession(gw.url, inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', { clientId: 'late-1', text: 'hello?' });
  v.close();
  const dueAt = new Date(Date.now() - 1000);
  await gw.models.Conversation.updateOne(
    { _id: m.conversationId },
    { $set: { 'clocks.pickup.dueAt': dueAt, 'clocks.pickup.warnedAt': dueAt, nextClockAt: dueAt } },
  );
  const conv = (await gw.models.Conversation.findById(m.conversationId).lean())!;
  return { conv, key: `pickup:breach:${new Date(conv.clocks!.pickup!.startedAt).getTime()}` };
}

async function outcome(conversationId: string) {
  const conv = await gw.models.Conversation.findById(conversationId).lean();
  return {
    breaches: await gw.models.ConversationEvent.countDocuments({ conversationId, type: 'sla.breached' }),
    priorityChanges: await gw.models.ConversationEvent.countDocuments({
      conversationId,
      type: 'conversation.priority_changed',
    }),
    customerTold: await gw.models.Message.countDocuments({ conversationId, automatic: true }),
    priority: conv?.priority,
    breached: Boolean(conv?.clocks?.pickup?.breachedAt),
    escalating: Boolean(conv?.clocks?.pickup?.escalating),
    // The next point the sweep would act on lies ahead: nothing of the breach is left to do.
    settled: !conv?.nextClockAt || new Date(conv.nextClockAt).getTime() > Date.now(),
  };
}

const timeline = () => new Timeline(gw.models);

const done = {
  breaches: 1,
  priorityChanges: 1,
  customerTold: 1,
  priority: 2,
  breached: true,
  escalating: false,
  settled: true,
};

it('finishes a breach recorded on the timeline by a process that stopped before marking the clock', async () => {
  const { conv, key } = await overdueConversation();
  await timeline().recordOnce(conv, 'sla.breached', key, {
    clock: 'pickup',
    dueAt: conv.clocks!.pickup!.dueAt,
  });

  await gw.app.sla.sweep();
  expect(await outcome(String(conv._id))).toMatchObject(done);
  await gw.app.sla.sweep();
  expect(await outcome(String(conv._id))).toMatchObject(done);
});

it('tells the customer when the process stopped after marking the breach but before escalating', async () => {
  const { conv, key } = await overdueConversation();
  const id = String(conv._id);
  const breachedAt = new Date(Date.now() - 500);
  await timeline().recordOnce(conv, 'sla.breached', key, {
    clock: 'pickup',
    dueAt: conv.clocks!.pickup!.dueAt,
  });
  await timeline().recordOnce(conv, 'conversation.priority_changed', `${key}:priority`, {
    from: 1,
    to: 2,
    reason: 'pickup_breach',
  });
  await gw.models.Conversation.updateOne(
    { _id: conv._id },
    {
      $set: {
        'clocks.pickup.breachedAt': breachedAt,
        'clocks.pickup.escalating': true,
        priority: 2,
        nextClockAt: breachedAt,
      },
    },
  );
  expect(await outcome(id)).toMatchObject({ customerTold: 0, escalating: true });

  await gw.app.sla.sweep();
  expect(await outcome(id)).toMatchObject(done);
  await gw.app.sla.sweep();
  expect(await outcome(id)).toMatchObject(done);
});
