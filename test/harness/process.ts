/**
 * Runs a gateway as a separate OS process, for multi-process and restart tests: the
 * production bundle (server/dist/main.js, built by the global setup), as `npm start` runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SERVER_BUNDLE } from '../../server/build';

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** Starts the gateway with `env` over this process's environment, in `cwd` (the repository by default). */
export async function spawnGateway(
  env: Record<string, string>,
  opts: { cwd?: string } = {},
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER_BUNDLE], {
    cwd: opts.cwd ?? ROOT,
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'info',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      // A process that never came up must not outlive the test that started it.
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start: ${stderr}`));
    }, 60_000);
    // The gateway's own address, not its metrics listener's (both log a url).
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (m?.[1] && line.includes('"msg":"switchboard listening"')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
