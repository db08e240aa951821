/**
 * Shared setup of the email suites: a private Dovecot and a recording SMTP server per
 * test file, inbox settings pointing at them, and the .eml fixtures with placeholders.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MessageDoc } from '../../../server/domain/message';
import {
  call,
  connectAgent,
  createAgent,
  eventually,
  type AgentClient,
  type TestGateway,
} from '../../harness/gateway';
import { startDovecot, type Dovecot } from './dovecot';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export interface MailServers {
  dovecot: Dovecot;
  smtp: SmtpSink;
}

/** Starts both servers before the file's tests and stops them after. */
export function suiteMailServers(): MailServers {
  let running: MailServers | null = null;
  beforeAll(async () => {
    running = { dovecot: await startDovecot(), smtp: await startSmtpSink() };
  });
  afterAll(async () => {
    await running?.smtp.close();
    await running?.dovecot.stop();
  });
  return new Proxy({} as MailServers, {
    get(_t, prop: keyof MailServers) {
      if (!running) throw new Error('the mail servers start in beforeAll');
      return running[prop];
    },
  });
}

export function inboxSettings(m: MailServers, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    imap: {
      host: m.dovecot.host,
      port: m.dovecot.imapPort,
      security: 'none',
      user: m.dovecot.user,
      password: m.dovecot.password,
      initialSync: 'all',
    },
    smtp: {
      host: '127.0.0.1',
      port: m.smtp.port,
      security: 'none',
      user: m.smtp.user,
      password: m.smtp.password,
    },
    fromAddress: m.dovecot.user,
    fromName: 'Acme Support',
    ...extra,
  };
}

/** A fixture with `{{name}}` placeholders filled, CRLF line ends as on the wire. */
export function fixture(name: string, values: Record<string, string> = {}): string {
  const text = readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
  return text
    .replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? `{{${key}}}`)
    .replace(/\r?\n/g, '\r\n');
}

/** Creates an email inbox through the admin API (which starts it), with a team of its own. */
export async function createEmailInbox(
  gw: TestGateway,
  m: MailServers,
  extra: Record<string, unknown> = {},
): Promise<{ inboxId: string; teamId: string; admin: string }> {
  const admin = await createAgent(gw, { role: 'admin' });
  const team = await gw.models.Team.create({ name: `mail-${randomUUID().slice(0, 8)}` });
  const res = await fetch(`${gw.url}/api/inboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
    body: JSON.stringify({
      name: 'Support mailbox',
      channel: 'email',
      teamId: String(team._id),
      settings: inboxSettings(m, extra),
    }),
  });
  if (res.status !== 201) throw new Error(`inbox: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { inbox: { id: string } };
  return { inboxId: body.inbox.id, teamId: String(team._id), admin: admin.token };
}

/** An email inbox with one agent of its team, connected. */
export async function emailDesk(gw: TestGateway, m: MailServers) {
  const inbox = await createEmailInbox(gw, m);
  const a = await createAgent(gw, { name: 'Ana', teamIds: [inbox.teamId], capacity: 20 });
  return { ...inbox, agentToken: a.token, agent: await connectAgent(gw.url, a.token) };
}

/** The inbox as GET /api/inboxes shows it. */
export async function inboxState(gw: TestGateway, token: string, inboxId: string) {
  const res = await fetch(`${gw.url}/api/inboxes`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as {
    inboxes: {
      id: string;
      state: { status: string; error: string | null };
      settings: Record<string, unknown>;
    }[];
  };
  const found = body.inboxes.find((i) => i.id === inboxId);
  if (!found) throw new Error('inbox not listed');
  return found;
}

export const unique = () => randomUUID().slice(0, 8);

/** The message stored for an email, once intake has stored it. */
export const storedEmail = (gw: TestGateway, messageId: string) =>
  eventually(
    () => gw.models.Message.findOne({ dedupeKey: `<${messageId}>` }).lean<MessageDoc>(),
    (m) => m !== null,
  ) as Promise<MessageDoc>;

/** A customer's new email, stored and taken by the agent. */
export async function openThread(gw: TestGateway, m: MailServers, agent: AgentClient, subject: string) {
  const from = `c-${unique()}@customer.example`;
  const messageId = `${unique()}@mail.gmail.example`;
  await m.dovecot.deliver(fixture('gmail-new.eml', { subject, messageId, from }));
  const conversationId = String((await storedEmail(gw, messageId)).conversationId);
  await call(agent, 'conversation:take', { conversationId });
  return { from, messageId, conversationId };
}
