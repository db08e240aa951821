/**
 * Test harness: starts real gateways on the local FerretDB and Redis, each test file
 * with its own database and Redis key prefix, and gives agents, inboxes and sockets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AgentClientEvents,
  AgentServerEvents,
  WebchatClientEvents,
  WebchatServerEvents,
} from '../../shared/protocol';
import { createApp, defaultChannels, type App, type AppOptions } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import { loadConfig } from '../../server/config';
import type { Channel } from '../../server/domain/channel';
import type { InboxDoc, SlaPolicy } from '../../server/domain/inbox';
import type { Models } from '../../server/domain/models';
import type { AgentRole, ChannelKind } from '../../server/domain/types';
import { createLogger } from '../../server/observability/logger';
import type { CalendarSource } from '../../server/sla/targets';

/** The services scripts/services.sh starts (ports overridable as there). */
export const MONGO_BASE = `mongodb://127.0.0.1:${process.env.SB_FERRETDB_PORT ?? '27117'}`;
export const REDIS_URL = `redis://127.0.0.1:${process.env.SB_REDIS_PORT ?? '6479'}`;
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-000';

export interface TestGateway {
  url: string;
  app: App;
  models: Models;
  dbName: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export function uniqueDbName(label = 'sb'): string {
  return `${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

export function gatewayEnv(dbName: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    MONGO_URL: `${MONGO_BASE}/${dbName}`,
    REDIS_URL,
    REDIS_PREFIX: `t:${dbName}`,
    AUTH_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SLA_SWEEP_INTERVAL_MS: '200',
    // The routing safety net as often as dispatch looks, so suites need not wait for it.
    ROUTING_SWEEP_INTERVAL_MS: '250',
    METRICS_PORT: '0',
    ...env,
  };
}

export async function startGateway(
  opts: {
    dbName?: string;
    env?: Record<string, string>;
    channels?: Channel[];
    policyInputsChanged?: AppOptions['policyInputsChanged'];
    onDatabaseCommand?: AppOptions['onDatabaseCommand'];
    calendars?: CalendarSource;
    now?: () => Date;
  } = {},
): Promise<TestGateway> {
  const dbName = opts.dbName ?? uniqueDbName();
  const env = gatewayEnv(dbName, opts.env);
  const config = loadConfig(env);
  const channels = opts.channels ?? defaultChannels(config);
  const app = await createApp(config, {
    channels,
    logger: createLogger(config.logLevel),
    policyInputsChanged: opts.policyInputsChanged,
    onDatabaseCommand: opts.onDatabaseCommand,
    calendars: opts.calendars,
    now: opts.now,
  });
  const url = await app.start();
  // A database named by the caller may be shared with other gateways; one of its own goes with it.
  const ownsDb = opts.dbName === undefined;
  const close = async () => {
    if (ownsDb) await app.db.dropDatabase().catch(() => undefined);
    await app.close();
  };
  return { url, app, models: app.models, dbName, env, close };
}

/**
 * One gateway for a whole test file: started before the first test, closed after the
 * last. The returned object forwards to the running gateway.
 */
export function suiteGateway(opts: Parameters<typeof startGateway>[0] = {}): TestGateway {
  let running: TestGateway | null = null;
  beforeAll(async () => {
    running = await startGateway(opts);
  });
  afterAll(async () => {
    await running?.close();
  });
  return new Proxy({} as TestGateway, {
    get(_t, prop: keyof TestGateway) {
      if (!running) throw new Error('the gateway starts in beforeAll');
      return running[prop];
    },
  });
}

export async function createAgent(
  gw: Pick<TestGateway, 'models' | 'app'>,
  a: {
    email?: string;
    name?: string;
    password?: string;
    role?: AgentRole;
    capacity?: number;
    teamIds?: string[];
  } = {},
): Promise<{ id: string; token: string; email: string; password: string }> {
  const email = a.email ?? `agent-${randomUUID().slice(0, 8)}@example.test`;
  const password = a.password ?? 'correct horse battery';
  const doc = await gw.models.Agent.create({
    email,
    name: a.name ?? email.split('@')[0],
    passwordHash: await hashPassword(password),
    role: a.role ?? 'agent',
    capacity: a.capacity ?? 3,
    teamIds: a.teamIds ?? [],
  });
  const token = gw.app.tokens.issueAgent({ agentId: String(doc._id), role: doc.role });
  return { id: String(doc._id), token, email, password };
}

export async function createInbox(
  gw: Pick<TestGateway, 'models'>,
  i: {
    channel?: ChannelKind;
    name?: string;
    settings?: Record<string, unknown>;
    sla?: SlaPolicy;
    key?: string;
    teamId?: string;
  } = {},
): Promise<InboxDoc> {
  const doc = await gw.models.Inbox.create({
    name: i.name ?? 'Website',
    channel: i.channel ?? 'webchat',
    key: i.key ?? randomBytes(8).toString('hex'),
    settings: i.settings ?? {},
    sla: i.sla ?? {},
    teamId: i.teamId ?? null,
  });
  return doc.toObject();
}

/** A team with its own inbox, so a test's conversations are offered only to that test's agents. */
export async function createDesk(
  gw: Pick<TestGateway, 'models' | 'app'>,
  opts: { sla?: SlaPolicy; settings?: Record<string, unknown>; channel?: ChannelKind } = {},
) {
  const team = await gw.models.Team.create({ name: `team-${randomUUID().slice(0, 8)}` });
  const inbox = await createInbox(gw, { ...opts, teamId: String(team._id) });
  const agent = (a: Parameters<typeof createAgent>[1] = {}) =>
    createAgent(gw, { ...a, teamIds: [String(team._id)] });
  return { team, inbox, agent };
}

export type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
export type VisitorClient = Socket<WebchatServerEvents, WebchatClientEvents>;

export async function connectAgent(url: string, token: string): Promise<AgentClient> {
  const s: AgentClient = io(`${url}/agent`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

export async function openVisitorSession(url: string, inboxKey: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inboxKey, ...extra }),
  });
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; visitorId: string; conversationId: string | null };
}

export async function connectVisitor(url: string, token: string): Promise<VisitorClient> {
  const s: VisitorClient = io(`${url}/webchat`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** The raw ack (ok or error), for asserting rejections. */
export function callRaw<T>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<Ack<T>> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(timeoutMs)
      .emit(event, payload, (err: Error | null, ack: Ack<T>) => (err ? reject(err) : resolve(ack)));
  });
}

/** A REST call as an agent (bearer token); the parsed body and the status. */
export async function api<T = Record<string, unknown>>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Emits an event with an ack and returns the ack's data, or throws with the error code. */
export async function call<T>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  const ack = await callRaw<T>(socket, event, payload, timeoutMs);
  if (ack.ok) return ack.data;
  throw Object.assign(new Error(ack.error.message), { code: ack.error.code });
}

/** Resolves with the first `event` whose payload satisfies `match`. */
export function nextEvent<T>(
  socket: Socket,
  event: string,
  match: (p: T) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(p);
    };
    socket.on(event, listener);
  });
}

/** Polls a condition against the database until it holds (for state with no event to await). */
export async function eventually<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
