/** Shared set-up for the Telegram channel's tests: a stand-in bot, gateways wired to it, inboxes made through the admin API. */
import { randomUUID } from 'node:crypto';
import { createTelegramChannel, type TelegramChannel } from '../../../channels/telegram';
import { TelegramStandIn } from '../../../channels/telegram/standin';
import { createWebchatChannel } from '../../../channels/webchat';
import type { InboxDoc } from '../../../server/domain/inbox';
import type { MessageDoc } from '../../../server/domain/message';
import { createAgent, eventually, startGateway, type TestGateway } from '../../harness/gateway';

export interface TelegramGateway extends TestGateway {
  telegram: TelegramChannel;
}

/** A gateway whose Telegram channel uses short leases and backoff so takeovers and retries show quickly. */
export async function telegramGateway(
  opts: { dbName?: string; env?: Record<string, string> } = {},
): Promise<TelegramGateway> {
  const telegram = createTelegramChannel({ pollerLeaseMs: 1500, maxBackoffMs: 2000 });
  const gw = await startGateway({
    ...opts,
    channels: [createWebchatChannel({ sessionTtlS: 3600 }), telegram],
  });
  return Object.assign(gw, { telegram });
}

export async function startStandIn(): Promise<TelegramStandIn> {
  return new TelegramStandIn().start();
}

/** Creates a Telegram inbox through the admin API (which starts it), with its own team. */
export async function telegramInbox(
  gw: TestGateway,
  bot: TelegramStandIn,
  settings: Record<string, unknown> = {},
): Promise<InboxDoc> {
  const admin = await createAgent(gw, { role: 'admin' });
  const team = await gw.models.Team.create({ name: `tg-${randomUUID().slice(0, 8)}` });
  const res = await fetch(`${gw.url}/api/inboxes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Telegram',
      channel: 'telegram',
      teamId: String(team._id),
      settings: { botToken: bot.token, apiRoot: bot.url, mode: 'polling', pollTimeoutS: 2, ...settings },
    }),
  });
  if (res.status !== 201) throw new Error(`inbox: ${res.status} ${await res.text()}`);
  const { inbox } = (await res.json()) as { inbox: { id: string } };
  const doc = await gw.models.Inbox.findById(inbox.id).lean<InboxDoc>();
  if (!doc) throw new Error('inbox vanished');
  return doc;
}

export const inboundOf = (gw: Pick<TestGateway, 'models'>, inbox: InboxDoc) =>
  gw.models.Message.find({ inboxId: inbox._id, direction: 'in' }).sort({ _id: 1 }).lean<MessageDoc[]>();

/** Waits until the inbox has exactly `n` inbound messages and returns them. */
export const storedCount = (
  gw: Pick<TestGateway, 'models'>,
  inbox: InboxDoc,
  n: number,
  timeoutMs = 10_000,
) =>
  eventually(
    () => inboundOf(gw, inbox),
    (ms) => ms.length >= n,
    timeoutMs,
  );

let nextUser = 40_000_000 + Math.floor(Math.random() * 1_000_000);
export const someUser = (first_name = 'Tanya') => ({
  id: nextUser++,
  first_name,
  username: `user${nextUser}`,
});
