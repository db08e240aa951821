/**
 * Broadcasts between gateway processes: what one process broadcasts in a turn of the event
 * loop, over every namespace, travels to the others as one publish, and each broadcast
 * reaches the right sockets there once, in the order it was made, with its content as it
 * was when it was made.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import pino from 'pino';
import { Server as IoServer } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createBatchedAdapter } from '../../server/coordination/broadcasts';
import { REDIS_URL } from '../harness/gateway';

jest.setTimeout(30_000);

const key = `test-broadcasts-${process.pid}-${Date.now()}`;
const opened: { close(): unknown }[] = [];
const sockets: Socket[] = [];

interface Process {
  io: IoServer;
  url: string;
}

async function gatewayProcess(): Promise<Process> {
  const pub = new Redis(REDIS_URL);
  const sub = new Redis(REDIS_URL);
  // As the gateway does: subscriptions only once the connection's own start-up is done.
  await new Promise<void>((resolve) => sub.once('ready', () => resolve()));
  const http: HttpServer = createServer();
  const io = new IoServer(http, {
    adapter: createBatchedAdapter(pub, sub, { key }, pino({ level: 'silent' })),
  });
  for (const nsp of ['/agent', '/webchat'])
    io.of(nsp).on('connection', (s) => {
      s.on('join', (room: string, done: () => void) => {
        void s.join(room);
        done();
      });
    });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: async () => {
      await new Promise((resolve) => io.close(resolve));
      pub.disconnect();
      sub.disconnect();
    },
  });
  // Commands on a connection run in order: once PING is answered, the subscriptions are in place.
  await sub.ping();
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function client(p: Process, nsp: string, room: string): Promise<Socket> {
  const s = connect(`${p.url}${nsp}`, { transports: ['websocket'], forceNew: true });
  sockets.push(s);
  await new Promise<void>((resolve) => s.on('connect', () => resolve()));
  await s.emitWithAck('join', room);
  return s;
}

/** Records every `note` a socket receives, tagged with its name, in arrival order. */
function recordNotes(log: string[], name: string, s: Socket) {
  s.on('note', (text: string) => log.push(`${name}:${text}`));
}

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const o of opened.reverse()) await o.close();
});

let a: Process;
let b: Process;
let watcher: Redis;
const published: Buffer[] = [];

beforeAll(async () => {
  a = await gatewayProcess();
  b = await gatewayProcess();
  watcher = new Redis(REDIS_URL);
  opened.push({ close: () => watcher.disconnect() });
  watcher.on('messageBuffer', (_channel: Buffer, message: Buffer) => published.push(message));
  await watcher.subscribe(`${key}-batch#`);
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

it('sends what one turn broadcasts, over two namespaces, to the other process as one publish, each socket getting them in order', async () => {
  const log: string[] = [];
  recordNotes(log, 'agent', await client(b, '/agent', 'inbox-1'));
  recordNotes(log, 'visitor', await client(b, '/webchat', 'conversation-1'));
  recordNotes(log, 'elsewhere', await client(b, '/agent', 'inbox-2'));
  const local: string[] = [];
  recordNotes(local, 'local', await client(a, '/agent', 'inbox-1'));
  published.length = 0;

  a.io.of('/agent').to('inbox-1').emit('note', 'message');
  a.io.of('/webchat').to('conversation-1').emit('note', 'echo');
  a.io.of('/agent').to('inbox-1').emit('note', 'updated');

  await until(() => log.length === 3 && local.length === 2);
  // Sockets are separate connections, so order holds per socket.
  expect(log.filter((n) => n.startsWith('agent:'))).toEqual(['agent:message', 'agent:updated']);
  expect(log.filter((n) => n.startsWith('visitor:'))).toEqual(['visitor:echo']);
  expect(local).toEqual(['local:message', 'local:updated']);
  expect(published).toHaveLength(1);
  // A socket of the sending process gets each broadcast once, not again from its own publish.
  a.io.of('/agent').to('inbox-1').emit('note', 'after');
  await until(() => log.includes('agent:after'));
  expect(local).toEqual(['local:message', 'local:updated', 'local:after']);
  expect(published).toHaveLength(2);
});

it('keeps rooms excepted and binary content, and sends a broadcast as it was when it was made', async () => {
  const log: string[] = [];
  const payloads: unknown[] = [];
  const agent = await client(b, '/agent', 'team-1');
  await agent.emitWithAck('join', 'agent-1');
  recordNotes(log, 'excepted', agent);
  const other = await client(b, '/agent', 'team-1');
  recordNotes(log, 'other', other);
  other.on('file', (p: unknown) => payloads.push(p));

  a.io.of('/agent').to('team-1').except('agent-1').emit('note', 'not for agent-1');
  const body = { name: 'before', bytes: Buffer.from([0, 1, 2, 255]) };
  a.io.of('/agent').to('team-1').emit('file', body);
  body.name = 'changed after it was sent';

  await until(() => payloads.length === 1 && log.length === 1);
  expect(log).toEqual(['other:not for agent-1']);
  const got = payloads[0] as { name: string; bytes: Buffer };
  expect(got.name).toBe('before');
  expect([...Buffer.from(got.bytes)]).toEqual([0, 1, 2, 255]);
});

it('ignores an unreadable publish on its channel and goes on delivering', async () => {
  const log: string[] = [];
  recordNotes(log, 'agent', await client(b, '/agent', 'inbox-3'));
  const rogue = new Redis(REDIS_URL);
  opened.push({ close: () => rogue.disconnect() });
  await rogue.publish(`${key}-batch#`, Buffer.from([0xc1, 0xff, 0x00]));
  await rogue.publish(`${key}-batch#`, 'not a batch');
  a.io.of('/agent').to('inbox-3').emit('note', 'still delivered');
  await until(() => log.length === 1);
  expect(log).toEqual(['agent:still delivered']);
});
