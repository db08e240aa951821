/**
 * The load generator's side of `npm run bench`: the systems under test as child processes
 * (the raw relay, or gateways on a database of their own), and visitors and agents that
 * speak the gateway's protocol to either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { hashPassword } from '../../server/auth/passwords';
import { Tokens } from '../../server/auth/tokens';
import { VisitorSessions } from '../../server/auth/visitors';
import { registerModels, type Models } from '../../server/domain/models';
import { withDevelopmentKeys } from '../../server/privacy/plugin';
import type { Ack, MessageView, OfferView } from '../../shared/protocol';

const ROOT = path.resolve(__dirname, '../..');
export const MONGO_BASE = `mongodb://127.0.0.1:${process.env.SB_FERRETDB_PORT ?? '27117'}`;
export const REDIS_URL = `redis://127.0.0.1:${process.env.SB_REDIS_PORT ?? '6479'}`;
const SECRET = randomBytes(32).toString('hex');
export const METRICS_TOKEN = randomBytes(16).toString('hex');

/**
 * A Node process of ours that prints `{"msg": <ready>, "url": ...}` when it listens. It
 * runs with the inspector on a loopback port, so the bench can read its heap after a full
 * garbage collection (see heapAfterGc).
 */
export async function startProcess(
  script: string,
  ready: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; heapUsed(): Promise<number>; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', '-r', require.resolve('ts-node/register/transpile-only'), script],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let inspector: string | null = null;
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1] ?? null;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start: ${stderr}`));
    }, 180_000); // a loaded machine compiles the gateway slowly
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (m?.[1] && line.includes(`"msg":"${ready}"`)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    child,
    heapUsed: () => {
      if (!inspector) throw new Error(`${script} has no inspector`);
      return heapAfterGc(inspector);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export interface System {
  kind: 'relay' | 'switchboard';
  /** Every process's URL (one for the relay). */
  urls: string[];
  /** A visitor's session token, as the widget gets it. */
  session(url: string): Promise<string>;
  /** Agent tokens, one per agent able to take `capacity` conversations. */
  agentTokens: string[];
  /** The heap the first process holds after a full garbage collection. */
  heapUsed(): Promise<number>;
  /** Visitor tokens minted directly (for many idle sockets without as many HTTP calls). */
  mintVisitor(): string;
  models: Models | null;
  db: Connection | null;
  dbName: string;
  close(): Promise<void>;
}

/**
 * The heap a process holds after a full garbage collection, through its inspector (the
 * DevTools protocol: HeapProfiler.collectGarbage, then Runtime.getHeapUsage). Read without
 * the collection, the heap counts garbage too and a difference of two readings can even
 * come out negative.
 */
function heapAfterGc(inspectorUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(inspectorUrl);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('the inspector did not answer'));
    }, 60_000);
    const send = (id: number, method: string) => ws.send(JSON.stringify({ id, method }));
    ws.on('open', () => send(1, 'HeapProfiler.collectGarbage'));
    ws.on('message', (raw: WebSocket.RawData) => {
      const reply = JSON.parse(String(raw)) as { id?: number; result?: { usedSize?: number } };
      if (reply.id === 1) send(2, 'Runtime.getHeapUsage');
      if (reply.id === 2) {
        clearTimeout(timer);
        ws.close();
        resolve(Number(reply.result?.usedSize ?? NaN));
      }
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function postSession(url: string, inboxKey: string): Promise<string> {
  const res = await fetch(`${url}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inboxKey }),
  });
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function relay(agents: number): Promise<System> {
  const prefix = `relay_${randomBytes(3).toString('hex')}`;
  const p = await startProcess('scripts/bench/relay.ts', 'relay listening', {
    REDIS_URL,
    REDIS_PREFIX: prefix,
  });
  return {
    kind: 'relay',
    urls: [p.url],
    session: (url) => postSession(url, 'bench'),
    agentTokens: Array.from({ length: agents }, (_, i) => `agent-${i}`),
    heapUsed: () => p.heapUsed(),
    mintVisitor: () => randomBytes(8).toString('hex'),
    models: null,
    db: null,
    dbName: prefix,
    close: () => p.stop(),
  };
}

/**
 * `processes` gateways on one new database, with a web chat inbox and `agents` agents of
 * capacity `capacity`; `before` runs on the database before the gateways start.
 */
export async function switchboard(o: {
  agents: number;
  capacity?: number;
  processes?: number;
  env?: Record<string, string>;
  before?: (models: Models, dbName: string) => Promise<void>;
}): Promise<System> {
  const dbName = `bench_${randomBytes(3).toString('hex')}`;
  const db = await mongoose.createConnection(`${MONGO_BASE}/${dbName}`).asPromise();
  // The gateways run with the development keys (no DATA_KEYS set): seal what is seeded with them too.
  const models = registerModels(withDevelopmentKeys(db));
  const inbox = await models.Inbox.create({ name: 'Bench', channel: 'webchat', key: dbName });
  const passwordHash = await hashPassword(randomBytes(12).toString('hex'));
  const agentDocs = await models.Agent.insertMany(
    Array.from({ length: o.agents }, (_, i) => ({
      email: `agent${i}@${dbName}.test`,
      name: `Agent ${i}`,
      capacity: o.capacity ?? 10,
      passwordHash,
    })),
  );
  await o.before?.(models, dbName);
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    MONGO_URL: `${MONGO_BASE}/${dbName}`,
    REDIS_URL,
    REDIS_PREFIX: dbName,
    AUTH_SECRET: SECRET,
    LOG_LEVEL: 'info',
    METRICS_PORT: 'off',
    METRICS_TOKEN,
    ...o.env,
  };
  const procs = await Promise.all(
    Array.from({ length: o.processes ?? 1 }, () =>
      startProcess('server/main.ts', 'switchboard listening', env),
    ),
  );
  const tokens = new Tokens(SECRET, 3600);
  const visitors = new VisitorSessions(SECRET, 3600);
  return {
    kind: 'switchboard',
    urls: procs.map((p) => p.url),
    session: (url) => postSession(url, dbName),
    agentTokens: agentDocs.map((a) => tokens.issueAgent({ agentId: String(a._id), role: 'agent' })),
    heapUsed: () => procs[0]!.heapUsed(),
    mintVisitor: () => visitors.issue({ inboxId: String(inbox._id), name: null, email: null }).token,
    models,
    db,
    dbName,
    async close() {
      await Promise.all(procs.map((p) => p.stop()));
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

export function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connect ${url} timed out`)), 30_000);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Emits and waits for the ack; `busy` is waited out and sent again (as the widget does). */
export async function emit<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  for (;;) {
    const ack = await new Promise<Ack<T>>((resolve, reject) =>
      s
        .timeout(60_000)
        .emit(event, payload, (err: Error | null, a: Ack<T>) => (err ? reject(err) : resolve(a))),
    );
    if (ack.ok) return ack.data;
    if (ack.error.code !== 'busy') throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    await new Promise((r) => setTimeout(r, ack.error.retryAfterMs ?? 200));
  }
}

/** Agents online on the first process; they accept every offer at once when `accept`. */
export async function agentsOnline(
  sys: System,
  opts: { accept: boolean; onOffer?: (conversationId: string, at: number) => void },
): Promise<Socket[]> {
  const sockets = await Promise.all(sys.agentTokens.map((t) => connect(`${sys.urls[0]}/agent`, t)));
  for (const s of sockets) {
    s.on('offer', (o: OfferView) => {
      opts.onOffer?.(o.conversation.id, performance.now());
      if (opts.accept)
        void emit(s, 'offer:accept', { conversationId: o.conversation.id }).catch(() => undefined);
    });
    if (sys.kind === 'switchboard') await emit(s, 'presence:set', { presence: 'online' });
  }
  return sockets;
}

/** A visitor with a session and a connected socket, on `url`. */
export async function visitor(sys: System, url: string): Promise<Socket> {
  return connect(`${url}/webchat`, await sys.session(url));
}

let seq = 0;
export function send(v: Socket, text = 'hello'): Promise<MessageView> {
  return emit<MessageView>(v, 'message:send', { clientId: `b${seq++}`, text });
}
