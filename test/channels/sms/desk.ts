/**
 * What the SMS suites share: a Twilio stand-in the real SDK talks to, a gateway whose SMS
 * channel uses it, SMS inboxes created through the admin API, and Twilio's side of the
 * webhooks (signed form posts to the inbox's public URL, routed to the gateway).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { createSmsChannel } from '../../../channels/sms';
import { TwilioStandin, inboundParams, standinHttpClient } from '../../../channels/sms/standin';
import type { ConversationDoc } from '../../../server/domain/conversation';
import type { MessageDoc } from '../../../server/domain/message';
import type { AttachmentView, MessageView } from '../../../shared/protocol';
import {
  call,
  connectAgent,
  createAgent,
  eventually,
  startGateway,
  type TestGateway,
} from '../../harness/gateway';

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const OUR_NUMBER = '+14155550100';

/** A gateway with the SMS channel on the stand-in, reached by Twilio at `publicUrl` (its PUBLIC_URL). */
export function smsSuite(opts: { env?: Record<string, string> | (() => Record<string, string>) } = {}) {
  const standin = new TwilioStandin();
  const publicUrl = `https://sms-${randomBytes(3).toString('hex')}.example.test`;
  let gw: TestGateway | null = null;
  beforeAll(async () => {
    await standin.start();
    standin.addAccount(ACCOUNT_SID, AUTH_TOKEN);
    const env = typeof opts.env === 'function' ? opts.env() : opts.env;
    gw = await startGateway({
      env: { PUBLIC_URL: publicUrl, ...env },
      channels: [createSmsChannel({ httpClient: standinHttpClient(standin) })],
    });
    standin.route(publicUrl, gw.url);
  });
  afterAll(async () => {
    await gw?.close();
    await standin.close();
  });
  const get = () => {
    if (!gw) throw new Error('the gateway starts in beforeAll');
    return gw;
  };
  return { standin, publicUrl, gw: get };
}

export type SmsSuite = ReturnType<typeof smsSuite>;

/** An SMS inbox with its own team, made as an admin would (POST /api/inboxes). */
export async function smsInbox(s: SmsSuite, settings: Record<string, unknown> = {}) {
  const gw = s.gw();
  const admin = await createAgent(gw, { role: 'admin' });
  const team = await gw.models.Team.create({ name: `sms-${randomUUID().slice(0, 8)}` });
  const res = await fetch(`${gw.url}/api/inboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
    body: JSON.stringify({
      name: 'Text us',
      channel: 'sms',
      teamId: String(team._id),
      settings: {
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        from: OUR_NUMBER,
        ...settings,
      },
    }),
  });
  const body = (await res.json()) as { inbox?: { id: string; key: string }; error?: { message: string } };
  if (res.status !== 201 || !body.inbox) throw new Error(`inbox: ${res.status} ${JSON.stringify(body)}`);
  const inbox = body.inbox;
  const agent = (a: Parameters<typeof createAgent>[1] = {}) =>
    createAgent(gw, { ...a, teamIds: [String(team._id)] });
  return { ...inbox, admin, agent };
}

export type SmsInbox = Awaited<ReturnType<typeof smsInbox>>;

export const webhookUrl = (
  s: SmsSuite,
  inbox: { key: string },
  hook: 'inbound' | 'status',
  base = s.publicUrl,
) => `${base}/channels/sms/${inbox.key}/${hook}`;

/** One incoming message's webhook request as Twilio makes it, to post with any signature. */
export function incoming(
  s: SmsSuite,
  inbox: { key: string },
  m: { from: string; body: string } & Partial<Parameters<typeof inboundParams>[0]>,
  base = s.publicUrl,
) {
  const url = webhookUrl(s, inbox, 'inbound', base);
  const params = inboundParams({ accountSid: ACCOUNT_SID, to: OUR_NUMBER, ...m });
  const signedFor = (over = url, p: Record<string, string> = params, token = AUTH_TOKEN) =>
    twilio.getExpectedTwilioSignature(token, over, p);
  const post = (signature: string | null = signedFor()) =>
    s.standin.postWebhook(url, params, AUTH_TOKEN, { signature });
  return { url, params, signedFor, post };
}

/** Twilio delivering a customer's text to the inbox's webhook, signed with the account's token. */
export const textIn = (s: SmsSuite, inbox: { key: string }, m: Parameters<typeof incoming>[2]) =>
  incoming(s, inbox, m).post();

export const messagesOf = (s: SmsSuite, inboxId: string) =>
  s.gw().models.Message.find({ inboxId }).sort({ _id: 1 }).lean<MessageDoc[]>();

export const conversationsOf = (s: SmsSuite, inboxId: string) =>
  s.gw().models.Conversation.find({ inboxId }).sort({ _id: 1 }).lean<ConversationDoc[]>();

/** The stored outbound message once the queue has settled it (providerId known or failed). */
export function settled(s: SmsSuite, messageId: string, ok: (m: MessageDoc) => boolean) {
  return eventually(
    async () => s.gw().models.Message.findById(messageId).lean<MessageDoc>(),
    (m) => m !== null && ok(m),
    15_000,
  ) as Promise<MessageDoc>;
}

/** A customer's text opened a conversation; an agent of the inbox's team is connected to answer it. */
export async function conversationFrom(s: SmsSuite, inbox: SmsInbox, from: string, body = 'Hello?') {
  expect((await textIn(s, inbox, { from, body })).status).toBe(200);
  const conv = await s.gw().models.Conversation.findOne({ inboxId: inbox.id }).sort({ _id: -1 }).lean();
  if (!conv) throw new Error('no conversation');
  const agent = await inbox.agent();
  const socket = await connectAgent(s.gw().url, agent.token);
  const conversationId = String(conv._id);
  const reply = (text: string, attachments?: AttachmentView[]) =>
    call<MessageView>(socket, 'message:send', { conversationId, clientId: randomUUID(), text, attachments });
  return { conversationId, contactId: String(conv.contactId), socket, reply };
}
