/**
 * Work in flight is bounded: a visitor socket has a few sends in progress, a resend of one
 * still in progress joins it, and past the gateway's limit every channel is answered
 * `busy` with when to retry, so that retries store every message exactly once.
 */
import type { Ack, MessageView } from '../../shared/protocol';
import {
  callRaw,
  connectVisitor,
  createDesk,
  openVisitorSession,
  suiteGateway,
  type VisitorClient,
} from '../harness/gateway';

const gw = suiteGateway({
  env: {
    WEBCHAT_MAX_SENDS_PER_SOCKET: '2',
    INGEST_MAX_IN_FLIGHT: '3',
    INGEST_MAX_WAITING: '1',
    MONGO_MAX_POOL_SIZE: '8',
    BUSY_RETRY_AFTER_MS: '250',
  },
});

const total = async (metric: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);

/** Sends as the widget does: on `busy`, again with the same clientId after `retryAfterMs`. */
async function sendUntilStored(v: VisitorClient, clientId: string, text: string, busy: Ack<MessageView>[]) {
  for (;;) {
    const ack = await callRaw<MessageView>(v, 'message:send', { clientId, text });
    if (ack.ok) return ack.data;
    if (ack.error.code !== 'busy') throw new Error(`${ack.error.code}: ${ack.error.message}`);
    busy.push(ack);
    await new Promise((r) => setTimeout(r, ack.error.retryAfterMs));
  }
}

it('joins a resend of a message still being stored instead of storing it again', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  try {
    const duplicatesBefore = await total(gw.app.metrics.duplicates);
    const acks = await Promise.all(
      Array.from({ length: 6 }, () =>
        callRaw<MessageView>(v, 'message:send', { clientId: 'same', text: 'hi' }),
      ),
    );
    const ids = acks.map((a) => (a.ok ? a.data.id : a.error.code));
    expect(new Set(ids).size).toBe(1);
    expect(acks[0]).toMatchObject({ ok: true });
    // One ingest served all six: none of them reached the store as a duplicate.
    expect(await total(gw.app.metrics.duplicates)).toBe(duplicatesBefore);
    expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(1);
  } finally {
    v.close();
  }
});

it('answers busy past the sends one socket may have in progress; retried, each is stored once', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  try {
    const first = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        callRaw<MessageView>(v, 'message:send', { clientId: `m${i}`, text: `${i}` }),
      ),
    );
    const refused = first.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const a of refused)
      expect(a).toEqual({
        ok: false,
        error: { code: 'busy', message: expect.any(String), retryAfterMs: 250 },
      });
    const busy: Ack<MessageView>[] = [];
    for (let i = 0; i < 6; i++) await sendUntilStored(v, `m${i}`, `${i}`, busy);
    const stored = await gw.models.Message.find({ inboxId: inbox._id }, { dedupeKey: 1 }).lean();
    expect(stored).toHaveLength(6);
    expect(new Set(stored.map((m) => m.dedupeKey)).size).toBe(6);
  } finally {
    v.close();
  }
});

it('answers busy once the gateway has as many messages in flight as it takes, and recovers', async () => {
  const { inbox } = await createDesk(gw);
  const visitors = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const s = await openVisitorSession(gw.url, inbox.key);
      return connectVisitor(gw.url, s.token);
    }),
  );
  try {
    const busyBefore = await total(gw.app.metrics.busy);
    const busy: Ack<MessageView>[] = [];
    await Promise.all(
      visitors.flatMap((v, i) => [0, 1].map((j) => sendUntilStored(v, `v${i}-${j}`, `hello ${j}`, busy))),
    );
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(await total(gw.app.metrics.busy)).toBeGreaterThanOrEqual(busyBefore + busy.length);
    expect(await total(gw.app.metrics.ingestsInFlight)).toBe(0);
    const stored = await gw.models.Message.find({ inboxId: inbox._id }, { dedupeKey: 1 }).lean();
    expect(stored).toHaveLength(10);
    expect(new Set(stored.map((m) => m.dedupeKey)).size).toBe(10);
  } finally {
    for (const v of visitors) v.close();
  }
});
