/**
 * The baseline of `npm run bench`: a raw Socket.IO relay built from the same packages as
 * the gateway (express, socket.io with the Redis adapter, prom-client) and speaking the
 * same events, with no storage behind it. A visitor's `message:send` is acknowledged and
 * relayed to the agents' room; a visitor's first message is offered to an agent. Started
 * as a child process by scripts/bench/run.ts; prints its URL like the gateway does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import express from 'express';
import { Redis } from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Server } from 'socket.io';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6479';
const prefix = process.env.REDIS_PREFIX ?? `relay-${randomBytes(3).toString('hex')}`;

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'relay_' });
const web = express();
web.use(express.json());
const http = createServer(web);
const pub = new Redis(redisUrl);
const sub = pub.duplicate();
const io = new Server(http, { adapter: createAdapter(pub, sub, { key: `${prefix}:socket.io` }) });

web.post('/channels/webchat/sessions', (_req, res) => {
  res.json({ token: randomUUID(), visitorId: randomUUID(), conversationId: null });
});
web.get('/metrics', (_req, res) => {
  registry
    .metrics()
    .then((text) => res.type('text/plain').send(text))
    .catch(() => res.status(500).end());
});

let nextAgent = 0;
const agents = io.of('/agent');
agents.on('connection', (s) => {
  void s.join('agents');
  s.on('offer:accept', (p: { conversationId?: string }, ack: (a: unknown) => void) => {
    if (typeof ack === 'function') ack({ ok: true, data: { id: p?.conversationId } });
  });
});
io.of('/webchat').on('connection', (s) => {
  const conversationId = randomUUID();
  let first = true;
  s.on('message:send', (p: { clientId?: string; text?: string }, ack: (a: unknown) => void) => {
    if (typeof ack !== 'function') return;
    const message = {
      id: randomUUID(),
      conversationId,
      clientId: p?.clientId,
      text: p?.text,
      direction: 'in',
    };
    ack({ ok: true, data: message });
    if (first) {
      first = false;
      const targets = [...agents.sockets.values()];
      const agent = targets[nextAgent++ % Math.max(1, targets.length)];
      agent?.emit('offer', { conversation: { id: conversationId }, expiresAt: new Date().toISOString() });
    }
    agents.to('agents').emit('message', message);
  });
});

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'relay listening', url: `http://127.0.0.1:${port}` })}\n`);
});
const stop = () => {
  void io.close();
  pub.disconnect();
  sub.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
