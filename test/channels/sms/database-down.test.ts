/**
 * Twilio's 200 means "stored": while the database is down the webhook answers 5xx, and
 * Twilio's retry once it is back stores the message exactly once. Runs on a private
 * FerretDB that the test stops and restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../harness/gateway';
import { incoming, messagesOf, smsInbox, smsSuite, textIn } from './desk';

const FERRETDB = path.resolve(__dirname, '../../../.local/bin/ferretdb');
const data = mkdtempSync(path.join(tmpdir(), 'sms-ferretdb-'));
let port = 0;
let ferret: ChildProcess | null = null;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const p = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return p;
}

const accepting = () =>
  new Promise<boolean>((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });

async function startDatabase(): Promise<void> {
  ferret = spawn(FERRETDB, ['-listen', `127.0.0.1:${port}`, '-data', data], { stdio: 'ignore' });
  await eventually(accepting, (up) => up, 20_000, 100);
}

async function stopDatabase(): Promise<void> {
  const child = ferret;
  ferret = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  port = await freePort();
  await startDatabase();
});
const s = smsSuite({ env: () => ({ MONGO_URL: `mongodb://127.0.0.1:${port}/smsdown` }) });
afterAll(async () => {
  await stopDatabase();
  rmSync(data, { recursive: true, force: true });
});

it('answers 5xx while the database is down and stores the retried message once', async () => {
  const inbox = await smsInbox(s);
  expect((await textIn(s, inbox, { from: '+14155550199', body: 'before the outage' })).status).toBe(200);

  const during = incoming(s, inbox, { from: '+14155550199', body: 'during the outage' });
  await stopDatabase();
  const started = Date.now();
  const refused = await during.post();
  expect(refused.status).toBeGreaterThanOrEqual(500);
  // Answered within Twilio's 15-second webhook timeout.
  expect(Date.now() - started).toBeLessThan(15_000);

  await startDatabase();
  // Twilio retries the same request (same MessageSid, same signature) until it gets a 200.
  await eventually(
    () => during.post(),
    (r) => r.status === 200,
    30_000,
    500,
  );
  expect((await during.post()).status).toBe(200);
  expect((await messagesOf(s, inbox.id)).map((m) => m.text)).toEqual([
    'before the outage',
    'during the outage',
  ]);
}, 60_000);
