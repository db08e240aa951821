/**
 * A private Dovecot for the email tests: generated config in a temp dir, one test
 * mailbox (passwd-file), IMAP and LMTP on free loopback ports, logs to a file. Mail is
 * delivered by LMTP, as a real MTA would hand it over.
 */
import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface Dovecot {
  host: string;
  imapPort: number;
  lmtpPort: number;
  user: string;
  password: string;
  dir: string;
  /** Delivers a raw message to `to` (default: the test user) over LMTP. */
  deliver(raw: string | Buffer, opts?: { from?: string; to?: string }): Promise<void>;
  log(): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command with its error output in a file: the Dovecot daemon it starts keeps that descriptor open. */
async function run(cmd: string, args: string[], errFile: string): Promise<void> {
  const err = await open(errFile, 'a');
  try {
    await new Promise<void>((resolve, reject) => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', err.fd] });
      p.once('error', reject);
      p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${await readFile(errFile, 'utf8')}`);
  } finally {
    await err.close();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The master's pid, once the daemon has written it (just after the start command returns). */
async function masterPid(pidFile: string): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0) return pid;
    if (Date.now() > deadline) throw new Error(`Dovecot wrote no pid to ${pidFile}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Stops the Dovecot master by its pid file and waits until it has exited (its child
 * processes go with it); a master that ignores SIGTERM for 5 s is killed.
 */
async function stopMaster(pidFile: string): Promise<void> {
  const pid = await masterPid(pidFile);
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts Dovecot as root (dropping to system users) or as the current user. */
export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-dovecot-'));
  await chmod(dir, 0o755);
  const user = opts.user ?? 'support@example.test';
  const password = opts.password ?? 'mailbox-pass-1';
  const [imapPort, lmtpPort] = [await freePort(), await freePort()];
  const root = process.getuid?.() === 0;
  const me = userInfo();
  // As root, mail is owned by `nobody` (Dovecot never runs mail processes as root).
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  const mailDir = path.join(dir, 'mail');
  await mkdir(mailDir);
  await chown(mailDir, mailUid, mailGid);
  await writeFile(
    path.join(dir, 'passwd'),
    `${user}:{PLAIN}${password}:${mailUid}:${mailGid}::${mailDir}/${user}::\n`,
  );
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = sb-test-${path.basename(dir)}
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = ${Math.min(mailUid, 500)}
default_login_user = ${root ? 'dovenull' : me.username}
default_internal_user = ${root ? 'dovecot' : me.username}
mail_location = maildir:~/Maildir
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
# No growing delay after failed logins: the tests count the client's own retry pace.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
`;
  const confPath = path.join(dir, 'dovecot.conf');
  await writeFile(confPath, conf);
  await run('/usr/sbin/dovecot', ['-c', confPath], path.join(dir, 'stderr.log'));
  const pidFile = path.join(dir, 'run', 'master.pid');
  await masterPid(pidFile);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lmtpPort, lmtp: true });
  return {
    host: '127.0.0.1',
    imapPort,
    lmtpPort,
    user,
    password,
    dir,
    async deliver(raw, d = {}) {
      await transport.sendMail({
        envelope: { from: d.from ?? 'sender@example.test', to: [d.to ?? user] },
        raw,
      });
    },
    log: () => readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => ''),
    async stop() {
      transport.close();
      await stopMaster(pidFile);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
