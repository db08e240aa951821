/**
 * When the SMTP server refuses the inbox's login or cannot be reached, the reply fails
 * (535) or waits for a retry (unreachable) as the outbound queue expects, and the inbox
 * shows admins what to fix — never the password — until a send gets through again. The
 * IMAP and SMTP sides each keep their own reason: a working side never hides the other's.
 */
import type { MessageDoc } from '../../../server/domain/message';
import type { MessageView } from '../../../shared/protocol';
import { nextState } from '../../../channels/email/state';
import { call, eventually, nextEvent, suiteGateway, type AgentClient } from '../../harness/gateway';
import {
  emailDesk,
  inboxSettings,
  inboxState,
  openThread as openMailThread,
  suiteMailServers,
  unique,
} from './mail-servers';

const servers = suiteMailServers();
const gw = suiteGateway();
let inboxId = '';
let admin = '';
let agent: AgentClient;

beforeAll(async () => {
  ({ inboxId, admin, agent } = await emailDesk(gw, servers));
  await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'ok',
  );
});
afterAll(() => agent.close());

const openThread = (subject: string) => openMailThread(gw, servers, agent, subject);

const reply = (conversationId: string, text: string) =>
  call<MessageView>(agent, 'message:send', { conversationId, clientId: unique(), text });

const delivery = (id: string) =>
  gw.models.Message.findById(id)
    .lean<MessageDoc>()
    .then((m) => m?.delivery.status);

/** Saves the inbox's settings (the inbox restarts, its IMAP connection too). */
async function saveSettings(settings: Record<string, unknown>) {
  const res = await fetch(`${gw.url}/api/inboxes/${inboxId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ settings }),
  });
  expect(res.status).toBe(200);
}

/** The reply reaches the customer, is marked sent, and the inbox shows no error any more. */
async function goesOut(sent: MessageView, to: string, text: string) {
  const mail = await servers.smtp.next((r) => r.envelope.to.includes(to));
  expect(mail.mail.text?.trim()).toBe(text);
  await eventually(
    () => delivery(sent.id),
    (s) => s === 'sent',
  );
  await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'ok' && i.state.error === null,
  );
}

it('fails a reply whose SMTP login is refused (535), shows it on the inbox through an IMAP reconnect, and clears it after the next send', async () => {
  const t = await openThread('Login refused');
  servers.smtp.refuseLogins(true);
  const before = servers.smtp.received.length;
  const updated = nextEvent<MessageView>(agent, 'message:updated', (m) => m.delivery.status === 'failed');
  const sent = await reply(t.conversationId, 'Is anyone there?');
  const failed = await updated;
  expect(failed.id).toBe(sent.id);
  expect(failed.delivery.error).toMatch(
    /^The SMTP server 127\.0\.0\.1:\d+ refused the login for smtp-user \(535 .*credentials invalid\)\. .*app password\. \(535\)$/,
  );
  expect(await delivery(sent.id)).toBe('failed');
  expect(servers.smtp.received.length).toBe(before);

  const failing = await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'error',
  );
  expect(failing.state.error).toBe(
    `SMTP: The SMTP server 127.0.0.1:${servers.smtp.port} refused the login for smtp-user (535 5.7.8 Authentication credentials invalid). Check the user name and password; Gmail and Outlook need an app password.`,
  );
  expect(JSON.stringify(failing)).not.toContain(servers.smtp.password);

  // The inbox restarts and reads mail again: IMAP is fine, the SMTP reason stays.
  await saveSettings(inboxSettings(servers));
  const next = await openThread('After the restart');
  expect((await inboxState(gw, admin, inboxId)).state).toEqual(failing.state);

  servers.smtp.refuseLogins(false);
  await goesOut(await reply(next.conversationId, 'Back online.'), next.from, 'Back online.');
});

it('retries a reply while the SMTP server is out of reach, shows it on the inbox, and clears it once the reply goes out', async () => {
  const t = await openThread('Unreachable');
  await servers.smtp.goOffline();
  const sent = await reply(t.conversationId, 'This one waits.');
  const failing = await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'error',
  );
  expect(failing.state.error).toBe(
    `SMTP: Cannot reach the SMTP server 127.0.0.1:${servers.smtp.port} (ECONNREFUSED). Check the host and port; the gateway needs outbound access to it.`,
  );
  expect(await delivery(sent.id)).toBe('queued');

  await servers.smtp.reopen();
  await goesOut(sent, t.from, 'This one waits.');
});

it('keeps an IMAP error on the inbox while replies still go out, until IMAP works again', async () => {
  const t = await openThread('IMAP trouble');
  const wrong = 'wrong-imap-password-7';
  await saveSettings(
    inboxSettings(servers, {
      imap: { ...(inboxSettings(servers).imap as Record<string, unknown>), password: wrong },
    }),
  );
  const failing = await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'error',
  );
  expect(failing.state.error).toMatch(
    /^IMAP: The IMAP server .* refused the login for support@example\.test/,
  );
  expect(JSON.stringify(failing)).not.toContain(wrong);

  const sent = await reply(t.conversationId, 'Replies still work.');
  await servers.smtp.next((r) => r.envelope.to.includes(t.from));
  await eventually(
    () => delivery(sent.id),
    (s) => s === 'sent',
  );
  expect((await inboxState(gw, admin, inboxId)).state).toEqual(failing.state);

  await saveSettings(inboxSettings(servers));
  await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'ok',
  );
});

describe('the inbox state of both sides', () => {
  const imapDown = 'IMAP: Cannot reach the IMAP server imap.example.com:993 (ECONNREFUSED).';
  const smtpDown = 'SMTP: The SMTP server smtp.example.com:465 refused the login for support@example.com.';

  it('shows both reasons, one line each, and clears only the side that recovered', () => {
    const both = nextState({ status: 'error', error: imapDown }, 'SMTP', smtpDown.slice(6));
    expect(both).toEqual({ status: 'error', error: `${imapDown}\n${smtpDown}` });
    expect(nextState(both, 'IMAP', null)).toEqual({ status: 'error', error: smtpDown });
    expect(nextState(both, 'SMTP', null)).toEqual({ status: 'error', error: imapDown });
    expect(nextState({ status: 'error', error: smtpDown }, 'SMTP', null)).toEqual({
      status: 'ok',
      error: null,
    });
  });

  it('changes nothing when a side reports what is already shown', () => {
    expect(nextState({ status: 'ok', error: null }, 'SMTP', null)).toBeNull();
    expect(nextState({ status: 'error', error: smtpDown }, 'IMAP', null)).toBeNull();
    expect(nextState({ status: 'error', error: smtpDown }, 'SMTP', smtpDown.slice(6))).toBeNull();
  });

  it("counts a reason that names no side as the IMAP side's (the inbox failed to start)", () => {
    expect(nextState({ status: 'error', error: 'settings invalid' }, 'IMAP', null)).toEqual({
      status: 'ok',
      error: null,
    });
    expect(nextState({ status: 'error', error: 'settings invalid' }, 'SMTP', 'down')).toEqual({
      status: 'error',
      error: 'IMAP: settings invalid\nSMTP: down',
    });
  });
});
