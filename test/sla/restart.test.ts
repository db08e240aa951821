/**
 * Timers survive a gateway restart: a clock started by one gateway breaches on time in
 * the next one, through its Redis timer alone or, if the timer was lost, the sweep.
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
  REDIS_URL,
} from '../harness/gateway';
import Redis from 'ioredis';

async function startConversation(pickupTargetMs: number, dbName: string, env: Record<string, string>) {
  const gw = await startGateway({ dbName, env });
  const desk = await createDesk(gw, { sla: { pickupTargetMs } });
  const s = await openVisitorSession(gw.url, desk.inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', { clientId: 'before-restart', text: 'hello?' });
  v.close();
  await gw.close();
  return m.conversationId;
}

/**
 * How late the breach came after it could first be seen: its deadline, or the moment the
 * new gateway was up when the deadline passed while no gateway ran.
 */
function latenessAfter(breach: { data: Record<string, unknown> }, readyAt: number): number {
  const dueAt = new Date(breach.data.dueAt as string).getTime();
  const at = dueAt + (breach.data.lateMs as number);
  return at - Math.max(dueAt, readyAt);
}

async function breachOf(
  gwModels: Awaited<ReturnType<typeof startGateway>>['models'],
  conversationId: string,
) {
  return eventually(
    () => gwModels.ConversationEvent.find({ conversationId, type: 'sla.breached' }).lean(),
    (list) => list.length > 0,
    15_000,
  );
}

it('fires a pending pickup breach from its Redis timer after the gateway restarts', async () => {
  const dbName = uniqueDbName('restart');
  // The sweep is effectively off in the second gateway: only the delayed job can fire.
  const env = { SLA_SWEEP_INTERVAL_MS: '600000' };
  const conversationId = await startConversation(2500, dbName, env);
  const gw2 = await startGateway({ dbName, env });
  const readyAt = Date.now();
  try {
    const [breach] = await breachOf(gw2.models, conversationId);
    expect(breach!.data.lateMs as number).toBeGreaterThanOrEqual(0);
    expect(latenessAfter(breach!, readyAt)).toBeLessThanOrEqual(1000);
    // The breach is recorded on the timeline first (once only), then on the conversation.
    const conv = await eventually(
      () => gw2.models.Conversation.findById(conversationId).lean(),
      (c) => Boolean(c?.clocks?.pickup?.breachedAt),
    );
    expect(conv?.priority).toBe(2);
  } finally {
    await gw2.close();
  }
});

it('catches a deadline whose timer was lost with the sweep, once', async () => {
  const dbName = uniqueDbName('lost');
  const conversationId = await startConversation(1500, dbName, { SLA_SWEEP_INTERVAL_MS: '600000' });
  // Lose every delayed job of this gateway's prefix.
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`t:${dbName}:sla-timers:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  const gw2 = await startGateway({ dbName, env: { SLA_SWEEP_INTERVAL_MS: '250' } });
  const readyAt = Date.now();
  try {
    const [breach] = await breachOf(gw2.models, conversationId);
    expect(breach!.data.lateMs as number).toBeGreaterThanOrEqual(0);
    expect(latenessAfter(breach!, readyAt)).toBeLessThanOrEqual(1000);
    // Later sweeps find it breached and leave it alone.
    await gw2.app.sla.sweep();
    expect(await gw2.models.ConversationEvent.countDocuments({ conversationId, type: 'sla.breached' })).toBe(
      1,
    );
  } finally {
    await gw2.close();
  }
});
