/**
 * Benchmark: end-to-end latency and throughput of web chat through one gateway on the
 * local services. N visitors write M messages each to conversations held by agents; it
 * reports the visitor send → stored ack time and the send → agent receives time.
 * Usage: npx ts-node --transpile-only scripts/bench/latency.ts [visitors] [messages]
 * (start the services first: bash scripts/services.sh start). Loopback only; stops by itself.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, MessageView } from '../../shared/protocol';
import { hashPassword } from '../../server/auth/passwords';
import { benchGateway, pct } from './gateway';

const VISITORS = Number(process.argv[2] ?? 50);
const MESSAGES = Number(process.argv[3] ?? 20);

function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function emit<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    s
      .timeout(30_000)
      .emit(event, payload, (err: Error | null, ack: Ack<T>) =>
        err ? reject(err) : ack.ok ? resolve(ack.data) : reject(new Error(ack.error.message)),
      ),
  );
}

async function main(): Promise<void> {
  const { app, url, db, close } = await benchGateway();
  const agentDocs = await Promise.all(
    Array.from({ length: Math.ceil(VISITORS / 10) }, async (_, i) =>
      app.models.Agent.create({
        email: `a${i}@${db}.test`,
        name: `A${i}`,
        capacity: 10,
        passwordHash: await hashPassword('x'.repeat(12)),
      }),
    ),
  );
  const agents = await Promise.all(
    agentDocs.map((a) =>
      connect(`${url}/agent`, app.tokens.issueAgent({ agentId: String(a._id), role: 'agent' })),
    ),
  );
  const sentAt = new Map<string, number>();
  const toAgent: number[] = [];
  for (const a of agents) {
    a.on('message', (m: MessageView) => {
      const t0 = sentAt.get(m.clientId);
      if (t0 !== undefined && m.direction === 'in') toAgent.push(performance.now() - t0);
    });
  }
  const visitors: Socket[] = [];
  for (let i = 0; i < VISITORS; i++) {
    const res = await fetch(`${url}/channels/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inboxKey: db }),
    });
    const { token } = (await res.json()) as { token: string };
    const v = await connect(`${url}/webchat`, token);
    const first = await emit<MessageView>(v, 'message:send', { clientId: `v${i}-open`, text: 'hello' });
    await emit(agents[i % agents.length]!, 'conversation:take', { conversationId: first.conversationId });
    visitors.push(v);
  }
  const ackMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    visitors.map(async (v, i) => {
      for (let j = 0; j < MESSAGES; j++) {
        const clientId = `v${i}-${j}`;
        const t0 = performance.now();
        sentAt.set(clientId, t0);
        await emit(v, 'message:send', { clientId, text: `message ${j}` });
        ackMs.push(performance.now() - t0);
      }
    }),
  );
  const total = VISITORS * MESSAGES;
  const deadline = Date.now() + 30_000;
  while (toAgent.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  const fmt = (xs: number[]) =>
    `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
  console.log(`web chat through one gateway: ${VISITORS} visitors × ${MESSAGES} messages = ${total}`);
  console.log(`  throughput:               ${(total / seconds).toFixed(0)} messages/s stored and delivered`);
  console.log(`  send → stored (ack):      ${fmt(ackMs)}`);
  console.log(`  send → agent receives:    ${fmt(toAgent)} (${toAgent.length}/${total} received)`);
  for (const s of [...visitors, ...agents]) s.close();
  await close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
