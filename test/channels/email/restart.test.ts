/**
 * A gateway killed in the middle of a burst of mail loses and doubles nothing: the next
 * one resumes from the UID checkpoint, and whatever was stored but not yet acknowledged
 * is recognised by its Message-ID.
 */
import { createWebchatChannel } from '../../../channels/webchat';
import { createInbox, eventually, gatewayEnv, suiteGateway } from '../../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../../harness/process';
import { fixture, inboxSettings, suiteMailServers, unique } from './mail-servers';

const BURST = 20;
const servers = suiteMailServers();
// This process only looks at the database; the email inbox runs in the spawned gateways.
const gw = suiteGateway({ channels: [createWebchatChannel({ sessionTtlS: 3600 })] });
let child: GatewayProcess | null = null;
afterAll(async () => {
  await child?.stop('SIGKILL');
});

it('stores every message of a burst exactly once across a kill -9 and restart', async () => {
  const inbox = await createInbox(gw, { channel: 'email', settings: inboxSettings(servers) });
  const inboxId = String(inbox._id);
  const count = () => gw.models.Message.countDocuments({ inboxId, direction: 'in' });
  // A killed gateway's hold on the mailbox lapses after CHANNEL_LEASE_MS.
  const env = gatewayEnv(gw.dbName, { CHANNEL_LEASE_MS: '2000' });
  child = await spawnGateway(env);
  await eventually(
    () => gw.models.Inbox.findById(inboxId).lean(),
    (i) => i?.state.status === 'ok',
    20_000,
  );

  const ids = Array.from({ length: BURST }, () => `${unique()}@burst.example`);
  const delivering = (async () => {
    for (const [n, messageId] of ids.entries())
      await servers.dovecot.deliver(
        fixture('gmail-new.eml', { subject: `Burst ${n}`, messageId, from: `burst-${n}@customer.example` }),
      );
  })();
  await eventually(count, (n) => n >= 5, 20_000, 20);
  await child.stop('SIGKILL');
  const atKill = await count();
  expect(atKill).toBeLessThan(BURST);

  child = await spawnGateway(env);
  await delivering;
  await eventually(count, (n) => n >= BURST, 30_000, 100);

  const stored = await gw.models.Message.find({ inboxId, direction: 'in' }, { dedupeKey: 1 }).lean();
  expect(stored.map((m) => m.dedupeKey).sort()).toEqual(ids.map((id) => `<${id}>`).sort());
  expect(await gw.models.Conversation.countDocuments({ inboxId })).toBe(BURST);
  const checkpoint = await eventually(
    () => gw.models.ChannelCheckpoint.findOne({ key: `${inboxId}:imap:INBOX` }).lean(),
    (c) => c?.value.lastUid === BURST,
  );
  expect(checkpoint?.value.lastUid).toBe(BURST);
}, 60_000);
