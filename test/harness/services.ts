/**
 * Private services for fault tests: a FerretDB or Redis of the test's own, on a free
 * loopback port with its data in a temp folder, that the test may kill and restart
 * (never the shared ones from scripts/services.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from './gateway';

const FERRETDB = path.resolve(__dirname, '../../.local/bin/ferretdb');

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const p = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return p;
}

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });

export interface PrivateService {
  port: number;
  url: string;
  start(): Promise<void>;
  /** Kills the process (SIGKILL: an outage, not a clean shutdown). */
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

export function privateService(
  name: string,
  url: (port: number) => string,
  args: (port: number, dir: string) => [string, string[]],
) {
  return async (): Promise<PrivateService> => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), `sb-${name}-`));
    let child: ChildProcess | null = null;
    const stop = async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    };
    return {
      port,
      url: url(port),
      async start() {
        const [bin, argv] = args(port, dir);
        child = spawn(bin, argv, { stdio: 'ignore' });
        await eventually(
          () => accepting(port),
          (up) => up,
          20_000,
          100,
        );
      },
      stop,
      async dispose() {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

export const privateFerretDb = privateService(
  'ferretdb',
  (port) => `mongodb://127.0.0.1:${port}`,
  (port, dir) => [FERRETDB, ['-listen', `127.0.0.1:${port}`, '-data', dir]],
);

export const privateRedis = privateService(
  'redis',
  (port) => `redis://127.0.0.1:${port}`,
  (port, dir) => [
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
  ],
);
