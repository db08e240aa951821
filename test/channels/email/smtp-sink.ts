/**
 * A recording SMTP server for the email tests: accepts mail for any recipient with the
 * test credentials, parses what it receives, and can be told to answer the next
 * deliveries with an SMTP error (4xx temporary, 5xx permanent), to refuse every login
 * (535) or to stop taking connections (the server is out of reach).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface Received {
  envelope: { from: string; to: string[] };
  raw: string;
  mail: ParsedMail;
  header(name: string): string | null;
}

export interface SmtpSink {
  port: number;
  user: string;
  password: string;
  received: Received[];
  /** Answers the next `times` RCPT commands with this reply. */
  failNext(code: number, message: string, times?: number): void;
  /** While on, every login is refused with 535, whatever the credentials (a changed password). */
  refuseLogins(on: boolean): void;
  /** Stops listening (connections are refused) until `reopen`, on the same port. */
  goOffline(): Promise<void>;
  reopen(): Promise<void>;
  /** Resolves with the first received mail (present or future) that matches. */
  next(match: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Received[] = [];
  const waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  let failure: { code: number; message: string; times: number } | null = null;
  let refusing = false;
  const user = 'smtp-user';
  const password = 'smtp-pass-1';
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (!refusing && auth.username === user && auth.password === password) cb(null, { user });
      else cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address: SMTPServerAddress, _session, cb) {
      if (failure && failure.times > 0) {
        failure.times--;
        cb(Object.assign(new Error(failure.message), { responseCode: failure.code }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const raw = bytes.toString('utf8');
        simpleParser(bytes)
          .then((mail) => {
            const r: Received = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((a) => a.address),
              },
              raw,
              mail,
              header(name) {
                const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
                return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : null;
              },
            };
            received.push(r);
            for (const w of [...waiters]) {
              if (w.match(r)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(r);
              }
            }
            cb();
          })
          .catch((err: Error) => cb(err));
      });
    },
  });
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject);
        const addr = server.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : 0);
      });
    });
  const port = await listen(0);
  return {
    port,
    user,
    password,
    received,
    failNext(code, message, times = 1) {
      failure = { code, message, times };
    },
    refuseLogins(on) {
      refusing = on;
    },
    // The listening socket alone closes: SMTPServer.close would also end the server for good.
    goOffline: () =>
      new Promise<void>((resolve, reject) => server.server.close((err) => (err ? reject(err) : resolve()))),
    async reopen() {
      await listen(port);
    },
    next(match, timeoutMs = 15_000) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching mail within ${timeoutMs} ms; received ${received.length}`));
        }, timeoutMs);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
