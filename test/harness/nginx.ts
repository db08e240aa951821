/**
 * Runs Debian's nginx as a child process in front of gateways, with deploy/nginx.conf as
 * its configuration: only the listen address, the upstream servers and the log and temp
 * paths are moved to a temp dir of its own. Its access log says which gateway served
 * which request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DEPLOYED_CONF = path.resolve(__dirname, '../../deploy/nginx.conf');
/** Debian installs it in /usr/sbin, which is not on every user's PATH. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

export interface AccessLine {
  clientAddress: string;
  method: string;
  uri: string;
  status: number;
  /** The gateway (host:port) that answered: the last one tried. */
  upstream: string;
}

export interface Nginx {
  url: string;
  child: ChildProcess;
  accessLog(): AccessLine[];
  errorLog(): string;
  stop(): Promise<void>;
}

/** The deployed configuration with this machine's listen address, gateways and paths. */
export function nginxConfFor(template: string, listen: string, upstreams: string[], dir: string): string {
  const edits: [RegExp, string][] = [
    [/^(\s*)listen 80;$/m, `$1listen ${listen};`],
    [/^error_log \S+ (\w+);$/m, `error_log ${path.join(dir, 'error.log')} $1;`],
    [/^(\s*)access_log \S+ switchboard;$/m, `$1access_log ${path.join(dir, 'access.log')} switchboard;`],
    [
      /^(\s*)(server gateway-1:3000 [^;]*;\n)(?:\s*server gateway-\d+:3000 [^;]*;\n)*/m,
      upstreams.map((u) => `$1server ${u} max_fails=1 fail_timeout=10s;\n`).join(''),
    ],
    [
      /^http \{$/m,
      [
        'http {',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (t) => `    ${t}_temp_path ${path.join(dir, t)};`,
        ),
      ].join('\n'),
    ],
  ];
  let conf = template;
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(conf)) throw new Error(`deploy/nginx.conf no longer has ${pattern}`);
    conf = conf.replace(pattern, replacement);
  }
  return conf;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const LINE = /^(\S+) \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) \d+ rt=\S+ upstream_status=.* upstream=(.*)$/;

/** Starts nginx in front of `upstreams` (host:port each) and resolves once it accepts connections. */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfFor(readFileSync(DEPLOYED_CONF, 'utf8'), `127.0.0.1:${port}`, upstreams, dir));
  const child = spawn(
    NGINX,
    [
      '-c',
      conf,
      '-p',
      dir,
      '-e',
      path.join(dir, 'error.log'),
      '-g',
      `daemon off; pid ${path.join(dir, 'nginx.pid')};`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const read = (name: string) => {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`nginx exited with ${code}: ${stderr}${read('error.log')}`)),
    ),
  );
  exited.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  try {
    while (!(await Promise.race([accepts(port), exited]))) {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${read('error.log')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    errorLog: () => read('error.log'),
    accessLog: () =>
      read('access.log')
        .split('\n')
        .flatMap((line) => {
          const m = LINE.exec(line);
          if (!m) return [];
          const tried = m[5]!.split(/, | : /);
          return [
            {
              clientAddress: m[1]!,
              method: m[2]!,
              uri: m[3]!,
              status: Number(m[4]),
              upstream: tried[tried.length - 1]!,
            },
          ];
        }),
    stop,
  };
}
