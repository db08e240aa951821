/**
 * An inbox with a wrong IMAP password shows a clear error to admins (never the password),
 * retries at the configured slow pace instead of hammering the server, and starts
 * reading mail as soon as the password is corrected.
 */
import { createEmailChannel } from '../../../channels/email';
import { createWebchatChannel } from '../../../channels/webchat';
import type { MessageDoc } from '../../../server/domain/message';
import { eventually, suiteGateway } from '../../harness/gateway';
import {
  createEmailInbox,
  fixture,
  inboxSettings,
  inboxState,
  suiteMailServers,
  unique,
} from './mail-servers';

const AUTH_RETRY_MS = 1500;
const servers = suiteMailServers();
const gw = suiteGateway({
  channels: [
    createWebchatChannel({ sessionTtlS: 3600 }),
    createEmailChannel({ maxTextLength: 10_000, authRetryMs: AUTH_RETRY_MS }),
  ],
});

const failedLogins = async () => ((await servers.dovecot.log()).match(/auth failed/g) ?? []).length;

it('shows refused credentials on the inbox, retries slowly, and recovers when they are fixed', async () => {
  const wrong = 'wrong-password-42';
  const { inboxId, admin } = await createEmailInbox(gw, servers, {
    imap: { ...(inboxSettings(servers).imap as Record<string, unknown>), password: wrong },
  });
  const failing = await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'error',
  );
  expect(failing.state.error).toMatch(/refused the login for support@example\.test/);
  expect(failing.state.error).toMatch(/app password/);
  expect(JSON.stringify(failing)).not.toContain(wrong);
  expect((failing.settings.imap as Record<string, unknown>).password).toBe('[set]');

  // Two more attempts take at least two retry intervals: no tight reconnect loop.
  const start = Date.now();
  const seen = await failedLogins();
  await eventually(failedLogins, (n) => n >= seen + 2, 20_000, 100);
  expect(Date.now() - start).toBeGreaterThanOrEqual(AUTH_RETRY_MS * 2 * 0.9);
  expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);

  const res = await fetch(`${gw.url}/api/inboxes/${inboxId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ settings: inboxSettings(servers) }),
  });
  expect(res.status).toBe(200);
  await eventually(
    () => inboxState(gw, admin, inboxId),
    (i) => i.state.status === 'ok' && i.state.error === null,
  );
  const messageId = `${unique()}@client.example`;
  await servers.dovecot.deliver(
    fixture('gmail-new.eml', { subject: 'Hello', messageId, from: 'late@customer.example' }),
  );
  await eventually(
    () => gw.models.Message.findOne({ dedupeKey: `<${messageId}>` }).lean<MessageDoc>(),
    (m) => m !== null,
  );
});
