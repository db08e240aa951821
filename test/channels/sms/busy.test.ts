/**
 * An SMS webhook arriving while the gateway has all the messages in flight it takes is
 * answered 503 with Retry-After (Twilio retries it); retried, it is stored once.
 */
import { incoming, messagesOf, smsInbox, smsSuite } from './desk';

const s = smsSuite({
  env: {
    INGEST_MAX_IN_FLIGHT: '1',
    INGEST_MAX_WAITING: '0',
    MONGO_MAX_POOL_SIZE: '4',
    BUSY_RETRY_AFTER_MS: '1500',
  },
});

it('answers 503 with Retry-After while overloaded, and stores every retried text once', async () => {
  const inbox = await smsInbox(s);
  const texts = Array.from({ length: 6 }, (_, i) =>
    incoming(s, inbox, { from: `+1415555020${i}`, body: `hi ${i}` }),
  );
  // Twilio's request, sent straight to the gateway, to read its headers.
  const post = (t: (typeof texts)[number]) =>
    fetch(`${s.gw().url}${new URL(t.url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': t.signedFor() },
      body: new URLSearchParams(t.params).toString(),
    });
  const first = await Promise.all(texts.map(post));
  const refused = first.filter((r) => r.status === 503);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const r of refused) expect(r.headers.get('retry-after')).toBe('2');
  expect(first.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  // Twilio's retries, one at a time.
  for (const [i, r] of first.entries())
    if (r.status !== 200) expect((await post(texts[i]!)).status).toBe(200);
  const stored = await messagesOf(s, inbox.id);
  expect(stored).toHaveLength(6);
  expect(new Set(stored.map((m) => m.dedupeKey)).size).toBe(6);
});
