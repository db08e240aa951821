/**
 * Several gateway processes on one mailbox: exactly one reads it (holding the mailbox's
 * lease), an inbox created through one process starts on all, and another process takes
 * over when the reader stops.
 */
import type { EmailChannel } from '../../../channels/email';
import { eventually, startGateway, uniqueDbName, type TestGateway } from '../../harness/gateway';
import { createEmailInbox, fixture, suiteMailServers, unique } from './mail-servers';

const servers = suiteMailServers();
const dbName = uniqueDbName('mailreader');
const env = { CHANNEL_LEASE_MS: '2000' };
const running = new Set<TestGateway>();
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  a = await startGateway({ dbName, env });
  b = await startGateway({ dbName, env });
  running.add(a).add(b);
});
afterAll(async () => {
  await Promise.all([...running].map((g) => g.close()));
});

const watching = (g: TestGateway, inboxId: string) =>
  running.has(g) && (g.app.channels.get('email') as EmailChannel).isWatching(inboxId);

async function deliverAndCount(gw: TestGateway, n: number) {
  const ids = Array.from({ length: n }, () => `${unique()}@one-reader.example`);
  for (const messageId of ids)
    await servers.dovecot.deliver(
      fixture('gmail-new.eml', { subject: 'Order', messageId, from: 'shopper@customer.example' }),
    );
  await eventually(
    () => gw.models.Message.countDocuments({ dedupeKey: { $in: ids.map((id) => `<${id}>`) } }),
    (count) => count === n,
    15_000,
  );
}

it('has exactly one process read the mailbox, and another take over when it stops', async () => {
  // Created through A: B starts it too, and only one of them connects.
  const { inboxId } = await createEmailInbox(a, servers);
  await eventually(
    async () => [watching(a, inboxId), watching(b, inboxId)].filter(Boolean).length,
    (n) => n === 1,
    15_000,
  );
  await deliverAndCount(a, 3);
  expect([watching(a, inboxId), watching(b, inboxId)].filter(Boolean)).toHaveLength(1);

  const holder = watching(a, inboxId) ? a : b;
  const other = holder === a ? b : a;
  running.delete(holder);
  await holder.close();
  await eventually(async () => watching(other, inboxId), Boolean, 10_000);
  await deliverAndCount(other, 2);
  expect(await other.models.Message.countDocuments({ inboxId, direction: 'in' })).toBe(5);
}, 60_000);
