/**
 * Shared setup of the email suites: a private Dovecot and a recording SMTP server per
 * test file, inbox settings pointing at them, and the .eml fixtures with placeholders.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAgent, type TestGateway } from '../../harness/gateway';
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
