/**
 * What every channel promises, whatever provider stands behind it: a customer's message
 * becomes one queued conversation however often the provider hands it over; an agent's
 * reply reaches the customer and its delivery moves on; a provider's final refusal fails
 * the reply with a reason the agent sees, once; and the inbox's settings are checked when
 * saved and their secrets never shown. Each channel runs against its own stand-in.
 */
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import type { MessageDoc } from '../../server/domain/message';
import type { ChannelKind } from '../../server/domain/types';
import type { MessageView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  createAgent,
  eventually,
  nextEvent,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';
import type { ChannelDriver, Reached } from './contract/driver';
import { emailDriver } from './contract/email';
import { smsDriver } from './contract/sms';
import { telegramDriver } from './contract/telegram';
import { webchatDriver } from './contract/webchat';

const channels: {
  kind: ChannelKind;
  driver: () => ChannelDriver;
  /** A provider stands between the gateway and the customer: it gives ids and can refuse sends. */
  provider: boolean;
  /** A setting the channel cannot work without, named when it is missing; null when none is needed. */
  requiredSetting: string | null;
}[] = [
  { kind: 'webchat', driver: webchatDriver, provider: false, requiredSetting: null },
  { kind: 'email', driver: emailDriver, provider: true, requiredSetting: 'imap' },
  { kind: 'sms', driver: smsDriver, provider: true, requiredSetting: 'accountSid' },
  { kind: 'telegram', driver: telegramDriver, provider: true, requiredSetting: 'botToken' },
];

const SECRET_KEY = /token|secret|password|pass$|apiKey/i;
const PAST_QUEUED = ['sent', 'delivered', 'read'];

/** Every secret in settings, by its path: the values the admin API must never show. */
function secretsOf(settings: Record<string, unknown>, path: string[] = []): [string[], string][] {
  return Object.entries(settings).flatMap(([k, v]): [string[], string][] => {
    if (v && typeof v === 'object' && !Array.isArray(v))
      return secretsOf(v as Record<string, unknown>, [...path, k]);
    return SECRET_KEY.test(k) && typeof v === 'string' && v !== '' ? [[[...path, k], v]] : [];
  });
}

const at = (settings: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    settings,
  );

describe.each(channels)('$kind channel', ({ kind, driver: make, provider, requiredSetting }) => {
  const driver = make();
  let gw: TestGateway;
  let inboxId = '';
  let adminToken = '';
  let agent: AgentClient;

  beforeAll(async () => {
    ({ gw, inboxId } = await driver.start());
    const inbox = await gw.models.Inbox.findById(inboxId).lean();
    const a = await createAgent(gw, { teamIds: [String(inbox?.teamId)], capacity: 50 });
    agent = await connectAgent(gw.url, a.token);
    adminToken = (await createAgent(gw, { role: 'admin' })).token;
  });
  afterAll(async () => {
    agent.close();
    await driver.stop();
  });

  const tag = () => randomUUID().slice(0, 8);
  const inbound = (text: string) =>
    eventually(
      () => gw.models.Message.find({ inboxId, direction: 'in', text }).lean<MessageDoc[]>(),
      (ms) => ms.length > 0,
      15_000,
    );
  /** A customer writes in; the conversation it opened. */
  async function conversationOf(from: string) {
    const d = await driver.deliver(from, `Hello, order ${tag()} is late`);
    const [m] = await inbound(d.text);
    return String(m?.conversationId);
  }
  const reply = (conversationId: string, text: string) =>
    call<MessageView>(agent, 'message:send', { conversationId, clientId: randomUUID(), text });
  /** The agent is told that the reply with this text reached a delivery status. */
  const updated = (text: string, ok: (status: string) => boolean) =>
    nextEvent<MessageView>(agent, 'message:updated', (m) => m.text === text && ok(m.delivery.status));
  const reached = (match: (r: Reached) => boolean) =>
    eventually(
      async () => driver.sent().find(match),
      (r) => r !== undefined,
      15_000,
    ) as Promise<Reached>;

  it('turns an inbound message into a queued conversation and stores a redelivery of it once', async () => {
    const from = await driver.customer();
    const first = await driver.deliver(from, `Where is my parcel ${tag()}?`);
    const [m] = await inbound(first.text);
    const conv = await gw.models.Conversation.findById(m?.conversationId).lean();
    expect(conv).toMatchObject({ status: 'queued', channel: kind });
    const contact = await gw.models.Contact.findById(conv?.contactId).lean();
    expect(contact?.identities).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: kind, address: from })]),
    );

    await driver.deliverAgain(first);
    // The provider hands messages over in order: once the next one is stored, the redelivery was handled.
    const next = await driver.deliver(from, `Also, the invoice ${tag()}`);
    await inbound(next.text);
    expect(await gw.models.Message.countDocuments({ inboxId, direction: 'in', text: first.text })).toBe(1);
  });

  it("delivers an agent's reply to the customer and moves its delivery status past queued", async () => {
    const from = await driver.customer();
    const conversationId = await conversationOf(from);
    const text = `We are on it (${tag()}).`;
    const moved = updated(text, (status) => PAST_QUEUED.includes(status));
    const sent = await reply(conversationId, text);
    const got = await reached((r) => r.to === from && r.text === text);
    if (provider) {
      expect(got.providerId).toEqual(expect.any(String));
      await driver.confirm(got.providerId ?? '');
    }
    expect((await moved).id).toBe(sent.id);
    const stored = await gw.models.Message.findById(sent.id).lean<MessageDoc>();
    if (provider) expect(stored?.delivery.providerId).toBe(got.providerId);
    // Web chat has no provider: the visitor's open widget received the reply itself.
    else expect(stored?.delivery.status).toBe('delivered');
  });

  if (provider)
    it('fails a reply the provider refuses for good, with a reason the agent sees, and does not retry it', async () => {
      const refusal = driver.refusal;
      if (!refusal) throw new Error(`the ${kind} driver cannot make its provider refuse`);
      const from = await driver.customer();
      const conversationId = await conversationOf(from);
      const text = `Your refund is ready (${tag()}).`;
      const failed = updated(text, (status) => status === 'failed');
      refusal.refuse(from);
      const sent = await reply(conversationId, text);
      const seen = await failed;
      refusal.accept(from);
      expect(seen.id).toBe(sent.id);
      expect(seen.delivery.error).toMatch(/[a-z]{3,} [a-z]{2,}/i);

      // Nothing of it stays in the inbox's outbound queue; a retry would have reached the now-willing provider.
      const queue = new Bull(`outbound:${inboxId}`, gw.app.config.redisUrl, {
        prefix: gw.app.config.redisPrefix,
      });
      try {
        await eventually(
          () => queue.getJobCounts(),
          (c) => c.completed > 0 && c.waiting + c.active + c.delayed === 0,
        );
      } finally {
        await queue.close();
      }
      expect(driver.sent().filter((r) => r.text === text)).toEqual([]);
      expect((await gw.models.Message.findById(sent.id).lean<MessageDoc>())?.delivery.status).toBe('failed');
    });

  const postInbox = async (settings: Record<string, unknown>) => {
    const res = await fetch(`${gw.url}/api/inboxes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: `Spare ${tag()}`, channel: kind, settings, enabled: false }),
    });
    return { status: res.status, text: await res.text() };
  };

  if (requiredSetting)
    it(`refuses an inbox with empty settings, naming the missing ${requiredSetting}`, async () => {
      const res = await postInbox({});
      expect(res.status).toBe(400);
      const body = JSON.parse(res.text) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.message).toContain(requiredSetting);
    });

  it('never shows the inbox settings’ secrets through the admin API', async () => {
    const stored = await gw.models.Inbox.findById(inboxId).lean();
    const settings = (stored?.settings ?? {}) as Record<string, unknown>;
    const secrets = secretsOf(settings);
    if (provider) expect(secrets.length).toBeGreaterThan(0);

    const created = await postInbox(settings);
    expect(created.status).toBe(201);
    const listed = await fetch(`${gw.url}/api/inboxes`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((r) => r.text());
    const shown = (JSON.parse(listed) as { inboxes: { id: string; settings: unknown }[] }).inboxes.find(
      (i) => i.id === inboxId,
    );
    const spare = (JSON.parse(created.text) as { inbox: { settings: unknown } }).inbox;
    for (const [path, value] of secrets) {
      expect(at(shown?.settings, path)).toBe('[set]');
      expect(at(spare.settings, path)).toBe('[set]');
      expect(listed).not.toContain(value);
      expect(created.text).not.toContain(value);
    }
  });
});
