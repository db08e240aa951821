/**
 * Several gateway processes on one bot: exactly one polls (Telegram never sees two
 * getUpdates at once), and another takes over when the poller closes or dies.
 */
import type { TelegramStandIn } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import request from 'supertest';
import { createAgent, eventually, gatewayEnv, uniqueDbName } from '../../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../../harness/process';
import {
  inboundOf,
  someUser,
  startStandIn,
  storedCount,
  telegramGateway,
  telegramInbox,
  type TelegramGateway,
} from './setup';

jest.setTimeout(90_000);

const dbName = uniqueDbName('tgpoller');
let bot: TelegramStandIn;
let a: TelegramGateway;
let b: TelegramGateway;
let inbox: InboxDoc;
const conflicts = () => bot.polls.filter((p) => p.outcome === 'conflict').length;

beforeAll(async () => {
  bot = await startStandIn();
  a = started(await telegramGateway({ dbName }));
  inbox = await telegramInbox(a, bot);
  // B starts the inbox found in the database at start-up.
  b = started(await telegramGateway({ dbName }));
});
afterAll(async () => {
  await Promise.all([...open].map((g) => g.close()));
  await bot.close();
});

/** Gateways still running, closed once each. */
const open = new Set<TelegramGateway>();
const started = (g: TelegramGateway) => (open.add(g), g);
const close = async (g: TelegramGateway) => {
  if (open.delete(g)) await g.close();
};

it('has exactly one process poll the bot', async () => {
  const id = String(inbox._id);
  await eventually(
    async () => [a.telegram.isPolling(id), b.telegram.isPolling(id)].filter(Boolean).length,
    (n) => n === 1,
  );
  const user = someUser();
  for (let i = 0; i < 4; i++) bot.message(user, { text: `shared ${i}` });
  await storedCount(a, inbox, 4);
  // Several long polls later, still one poller and never two getUpdates at once.
  const polled = bot.polls.length;
  await eventually(
    async () => bot.polls.length,
    (n) => n >= polled + 3,
    15_000,
  );
  expect([a.telegram.isPolling(id), b.telegram.isPolling(id)].filter(Boolean)).toHaveLength(1);
  expect(conflicts()).toBe(0);
  expect((await inboundOf(a, inbox)).map((m) => m.text)).toEqual([
    'shared 0',
    'shared 1',
    'shared 2',
    'shared 3',
  ]);
});

it('applies an inbox change made through one process on every process', async () => {
  const id = String(inbox._id);
  const holder = a.telegram.isPolling(id) ? a : b;
  const other = holder === a ? b : a;
  const admin = await createAgent(other, { role: 'admin' });
  const patch = (enabled: boolean) =>
    request(other.url)
      .patch(`/api/inboxes/${id}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ enabled });
  // Disabled through the process that does not poll: the poller stops too.
  expect((await patch(false)).status).toBe(200);
  await eventually(
    async () => [a.telegram.isPolling(id), b.telegram.isPolling(id)].filter(Boolean).length,
    (n) => n === 0,
    10_000,
  );
  expect((await patch(true)).status).toBe(200);
  await eventually(
    async () => [a.telegram.isPolling(id), b.telegram.isPolling(id)].filter(Boolean).length,
    (n) => n === 1,
    20_000,
  );
  const user = someUser();
  bot.message(user, { text: 'after re-enabling' });
  await storedCount(a, inbox, 5);
  expect(conflicts()).toBe(0);
});

it('lets the other process take over when the poller closes', async () => {
  const id = String(inbox._id);
  const holder = a.telegram.isPolling(id) ? a : b;
  const other = holder === a ? b : a;
  await close(holder);
  await eventually(async () => other.telegram.isPolling(id), Boolean, 5000);
  const user = someUser();
  bot.message(user, { text: 'after the handover' });
  await storedCount(other, inbox, 6);
  expect(conflicts()).toBe(0);
  a = other;
});

it('lets another process take over when the poller dies without letting go', async () => {
  const id = String(inbox._id);
  await close(a);
  // A separate gateway process with the default channels takes the bot...
  const proc: GatewayProcess = await spawnGateway(gatewayEnv(dbName));
  try {
    const before = bot.polls.length;
    await eventually(
      async () => bot.polls.length,
      (n) => n > before,
      20_000,
    );
    const c = started(await telegramGateway({ dbName }));
    try {
      expect(c.telegram.isPolling(id)).toBe(false);
      // ...and is killed: its lease is never released, only expires.
      await proc.stop('SIGKILL');
      const user = someUser();
      bot.message(user, { text: 'after the crash' });
      await eventually(async () => c.telegram.isPolling(id), Boolean, 25_000);
      const texts = (await storedCount(c, inbox, 7, 10_000)).map((m) => m.text);
      expect(texts.filter((t) => t === 'after the crash')).toHaveLength(1);
      expect(conflicts()).toBe(0);
    } finally {
      await close(c);
    }
  } finally {
    // stop() waits for an exit that a process killed by a signal already had.
    if (proc.child.exitCode === null && proc.child.signalCode === null) await proc.stop('SIGKILL');
  }
});
