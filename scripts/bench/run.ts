/**
 * `npm run bench`: Switchboard side by side with a raw Socket.IO relay built from the same
 * packages (scripts/bench/relay.ts) and with the database's own ceiling, measured in
 * turns (relay, Switchboard, relay, Switchboard) from one load generator, and printed as
 * one table of figures and ratios with the machine's load beside each. Every system runs
 * as a child process on loopback on a database of its own, dropped afterwards.
 * Usage: npm run bench -- [--quick] [--only armed,heap]   (groups: messages, new, history,
 * offers, takes, breaches, armed, heap, processes; the services must be up: bash scripts/services.sh start)
 */
import os from 'node:os';
import { Types } from 'mongoose';
import Bull from 'bull';
import mongoose from 'mongoose';
import type { Socket } from 'socket.io-client';
import {
  agentsOnline,
  connect,
  emit,
  MONGO_BASE,
  REDIS_URL,
  relay,
  send,
  switchboard,
  visitor,
  type System,
} from './clients';
import { pct } from './gateway';
import type { Models } from '../../server/domain/models';
import { slotOf } from '../../server/storage/timed';

const QUICK = process.argv.includes('--quick');
/** `--only armed,heap`: only those groups of figures (the database's ceiling always runs). */
const GROUPS = ['messages', 'new', 'history', 'offers', 'takes', 'breaches', 'armed', 'heap', 'processes'];
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : GROUPS;
for (const g of ONLY)
  if (!GROUPS.includes(g)) throw new Error(`--only: unknown group ${g}; groups: ${GROUPS.join(',')}`);
const want = (group: string) => ONLY.includes(group);
const SECONDS = QUICK ? 3 : 6;
const VISITOR_COUNTS = [1, 20, 100];
const IDLE_SOCKETS = QUICK ? 2000 : 10_000;
const ARMED_CLOCKS = QUICK ? 10_000 : 100_000;
const BREACH_RATES = [1, 3, 10, 30];
const BREACH_WINDOW_S = QUICK ? 4 : 8;

interface Row {
  figure: string;
  relay: string;
  switchboard: string;
  ratio: string;
  target: string;
  load: string;
}
const rows: Row[] = [];
const load = () => os.loadavg()[0]!.toFixed(1);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Runs `f` for relay and Switchboard in turns (A B A B); the mean of each and their ratio. */
async function sideBySide(
  figure: string,
  unit: string,
  f: (sys: 'relay' | 'switchboard') => Promise<number>,
  target = '',
): Promise<{ relay: number; switchboard: number }> {
  const got = { relay: [] as number[], switchboard: [] as number[] };
  const before = load();
  for (let turn = 0; turn < 2; turn++)
    for (const s of ['relay', 'switchboard'] as const) {
      const x = await f(s);
      log(`${figure} — ${s}: ${fmt(x, 1)} ${unit}`);
      got[s].push(x);
    }
  const r = mean(got.relay);
  const sb = mean(got.switchboard);
  rows.push({
    figure,
    relay: `${fmt(r, r < 10 ? 1 : 0)} ${unit}`,
    switchboard: `${fmt(sb, sb < 10 ? 1 : 0)} ${unit}`,
    ratio: fmt(sb / r, 3),
    target,
    load: `${before} → ${load()}`,
  });
  return { relay: r, switchboard: sb };
}

function only(figure: string, value: string, target = '', ratio = ''): void {
  rows.push({ figure, relay: '—', switchboard: value, ratio, target, load: load() });
  log(`${figure}: ${value}`);
}

async function system(
  kind: 'relay' | 'switchboard',
  agents: number,
  extra: Parameters<typeof switchboard>[0] | null = null,
): Promise<System> {
  return kind === 'relay' ? relay(agents) : switchboard(extra ?? { agents });
}

/** Messages per second from `n` visitors each in a conversation an agent holds, one send at a time each. */
async function existing(sys: System, n: number): Promise<number> {
  let offered = 0;
  const agents = await agentsOnline(sys, { accept: true, onOffer: () => offered++ });
  const visitors: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const v = await visitor(sys, sys.urls[i % sys.urls.length]!);
    await send(v, 'opening');
    visitors.push(v);
  }
  // Every conversation offered and accepted: the messages that follow are in held conversations.
  const until = Date.now() + 20_000;
  while (offered < n && Date.now() < until) await wait(50);
  await wait(300);
  let count = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    visitors.map(async (v) => {
      while (performance.now() < end) {
        await send(v, 'message in an open conversation');
        count++;
      }
    }),
  );
  const rate = count / ((performance.now() - t0) / 1000);
  for (const s of [...visitors, ...agents]) s.close();
  return rate;
}

/** New conversations per second from `n` lanes, each: a session, a socket, the first message. */
async function opened(sys: System, n: number): Promise<number> {
  let count = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, lane) => {
      while (performance.now() < end) {
        const v = await visitor(sys, sys.urls[lane % sys.urls.length]!);
        await send(v, 'I need help with my order');
        count++;
        v.close();
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

/** From a first message's acknowledgement to an agent's offer, for `burst` customers writing at once. */
async function offers(sys: System, burst: number): Promise<number[]> {
  const offeredAt = new Map<string, number>();
  const agents = await agentsOnline(sys, {
    accept: true,
    onOffer: (id, at) => offeredAt.set(id, at),
  });
  const visitors = await Promise.all(Array.from({ length: burst }, () => visitor(sys, sys.urls[0]!)));
  const ackedAt = new Map<string, number>();
  await Promise.all(
    visitors.map(async (v) => {
      const m = await send(v, 'hello, anyone?');
      ackedAt.set(m.conversationId, performance.now());
    }),
  );
  const deadline = Date.now() + 60_000;
  while (offeredAt.size < burst && Date.now() < deadline) await wait(20);
  const lat = [...ackedAt].map(([id, at]) => (offeredAt.get(id) ?? NaN) - at);
  for (const s of [...visitors, ...agents]) s.close();
  return lat;
}

/** Agents taking `n` queued conversations at once: take latencies. */
async function takes(n: number): Promise<{ lat: number[]; perSecond: number }> {
  const sys = await switchboard({ agents: 10, capacity: Math.ceil(n / 10) + 1 });
  try {
    const visitors = await Promise.all(Array.from({ length: n }, () => visitor(sys, sys.urls[0]!)));
    const ids = await Promise.all(visitors.map(async (v) => (await send(v, 'please help')).conversationId));
    const agents = await Promise.all(sys.agentTokens.map((t) => connect(`${sys.urls[0]}/agent`, t)));
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      ids.map(async (conversationId, i) => {
        const s = performance.now();
        await emit(agents[i % agents.length]!, 'conversation:take', { conversationId });
        lat.push(performance.now() - s);
      }),
    );
    const perSecond = n / ((performance.now() - t0) / 1000);
    for (const s of [...visitors, ...agents]) s.close();
    return { lat, perSecond };
  } finally {
    await sys.close();
  }
}

/** Breach lateness (recorded − deadline) for customers arriving `rate` a second where nobody serves. */
async function breaches(sys: System, rate: number, seconds: number, targetMs: number): Promise<number[]> {
  const visitors: Socket[] = [];
  const arrivals: Promise<unknown>[] = [];
  const total = Math.max(1, Math.round(rate * seconds));
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    arrivals.push(
      visitor(sys, sys.urls[0]!).then(async (v) => {
        visitors.push(v);
        await send(v, 'is anyone there?');
      }),
    );
    const next = t0 + ((i + 1) * 1000) / rate;
    await wait(Math.max(0, next - performance.now()));
  }
  await Promise.all(arrivals);
  const models = sys.models!;
  const deadline = Date.now() + targetMs + 60_000;
  let late: number[] = [];
  while (Date.now() < deadline) {
    const events = await models.ConversationEvent.find({ type: 'sla.breached' }, { data: 1 }).lean();
    late = events.map((e) => Number((e.data as { lateMs?: number }).lateMs ?? NaN));
    if (late.length >= total) break;
    await wait(250);
  }
  for (const v of visitors) v.close();
  while (late.length < total) late.push(Infinity); // never detected within the wait
  return late;
}

/** `n` conversations with a clock armed an hour ahead, in the database and as timer jobs. */
async function armClocks(models: Models, dbName: string, n: number): Promise<void> {
  const inbox = await models.Inbox.findOne({ key: dbName }).lean();
  const at = new Date(Date.now() + 3600_000);
  const queue = new Bull<{ conversationId: string; at: number }>('sla-timers', REDIS_URL, { prefix: dbName });
  for (let i = 0; i < n; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, n - i) }, (_, k) => {
      const _id = new Types.ObjectId();
      return {
        _id,
        inboxId: inbox!._id,
        contactId: new Types.ObjectId(),
        channel: 'webchat',
        status: 'assigned',
        liveKey: `bench:${String(_id)}`,
        number: 1_000_000 + i + k,
        nextClockAt: at,
        // Written past the model, so with the fields the model keeps for running clocks.
        timed: true,
        timedSlot: slotOf(at),
        queuedAt: new Date(),
        lastMessageAt: new Date(),
      };
    });
    await models.Conversation.collection.insertMany(batch, { ordered: false });
    await queue.addBulk(
      batch.map((c) => ({
        data: { conversationId: String(c._id), at: at.getTime() },
        opts: { jobId: `${String(c._id)}:${at.getTime()}`, delay: 3600_000, removeOnComplete: true },
      })),
    );
  }
  await queue.close();
}

/** A history: `conversations` resolved conversations with `messages` messages among them. */
async function seedHistory(
  models: Models,
  dbName: string,
  conversations: number,
  messages: number,
): Promise<void> {
  const inbox = await models.Inbox.findOne({ key: dbName }).lean();
  const convs = Array.from({ length: conversations }, (_, i) => {
    const _id = new Types.ObjectId();
    return {
      _id,
      inboxId: inbox!._id,
      contactId: new Types.ObjectId(),
      channel: 'webchat',
      status: 'resolved',
      liveKey: `closed:${String(_id)}`,
      number: 500_000 + i,
      queuedAt: new Date(Date.now() - 86_400_000),
      resolvedAt: new Date(Date.now() - 80_000_000),
      lastMessageAt: new Date(Date.now() - 80_000_000),
      nextClockAt: null,
    };
  });
  await models.Conversation.collection.insertMany(convs, { ordered: false });
  for (let i = 0; i < messages; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, messages - i) }, (_, k) => {
      const c = convs[(i + k) % conversations]!;
      return {
        conversationId: c._id,
        inboxId: c.inboxId,
        direction: (i + k) % 2 ? 'out' : 'in',
        text: `past message ${i + k}`,
        dedupeKey: `history:${i + k}`,
        createdAt: new Date(Date.now() - 80_000_000),
      };
    });
    await models.Message.collection.insertMany(batch, { ordered: false });
  }
}

/** The heap each idle visitor socket costs the server, in bytes. */
async function idleSockets(sys: System, n: number): Promise<number> {
  await wait(2000);
  const before = await sys.heapUsed();
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 200)
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, () =>
          connect(`${sys.urls[0]}/webchat`, sys.mintVisitor()),
        ),
      )),
    );
  await wait(3000);
  const after = await sys.heapUsed();
  for (const s of sockets) s.close();
  return (after - before) / n;
}

/** The database's own ceiling: inserts and indexed reads per second with 20 concurrent clients. */
async function databaseCeiling(): Promise<{ inserts: number; reads: number }> {
  const db = await mongoose.createConnection(`${MONGO_BASE}/bench_ceiling_${process.pid}`).asPromise();
  try {
    const col = db.collection('docs');
    await col.createIndex({ key: 1 });
    let inserts = 0;
    let end = performance.now() + SECONDS * 1000;
    let t0 = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (let i = 0; performance.now() < end; i++) {
          await col.insertOne({
            key: `w${w}-${i}`,
            text: 'a customer message of ordinary length',
            at: new Date(),
          });
          inserts++;
        }
      }),
    );
    const insertRate = inserts / ((performance.now() - t0) / 1000);
    let reads = 0;
    end = performance.now() + SECONDS * 1000;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (let i = 0; performance.now() < end; i++) {
          await col.findOne({ key: `w${w}-${i % 50}` });
          reads++;
        }
      }),
    );
    return { inserts: insertRate, reads: reads / ((performance.now() - t0) / 1000) };
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  }
}

async function main(): Promise<void> {
  log(`bench ${QUICK ? '(quick) ' : ''}on ${os.cpus().length} cores, load ${load()}`);
  const ceiling = await databaseCeiling();
  only('database: inserts/s, 20 concurrent writers', `${fmt(ceiling.inserts)} /s`);
  only('database: indexed reads/s, 20 concurrent readers', `${fmt(ceiling.reads)} /s`);

  const run = async (
    kind: 'relay' | 'switchboard',
    f: (s: System) => Promise<number>,
    agents = 10,
    o?: Parameters<typeof switchboard>[0],
  ) => {
    const s = await system(kind, agents, o ?? null);
    try {
      return await f(s);
    } finally {
      await s.close();
    }
  };

  let existing20 = NaN;
  let opened20 = NaN;
  if (want('messages')) {
    for (const n of VISITOR_COUNTS) {
      const agents = Math.max(1, Math.ceil(n / 10));
      const r = await sideBySide(
        `messages in open conversations, ${n} visitors`,
        'msg/s',
        (k) => run(k, (s) => existing(s, n), agents),
        n === 20 ? `≥ 0.5 × database inserts (${fmt(ceiling.inserts / 2)})` : '',
      );
      if (n === 20) existing20 = r.switchboard;
    }
  }

  if (want('new')) {
    for (const n of VISITOR_COUNTS) {
      const r = await sideBySide(
        `first messages of new conversations, ${n} at once`,
        '/s',
        (k) => run(k, (s) => opened(s, n), 1),
        n === 20 ? `≥ 0.2 × database inserts (${fmt(ceiling.inserts / 5)})` : '',
      );
      if (n === 20) opened20 = r.switchboard;
    }
  }

  if (want('messages') && want('new'))
    only(
      'Switchboard ÷ database inserts: messages (20 visitors) / new conversations (20)',
      `${fmt(existing20 / ceiling.inserts, 2)} / ${fmt(opened20 / ceiling.inserts, 2)}`,
      '≥ 0.5 / ≥ 0.2',
    );

  if (want('history')) {
    // A history of 10,000 messages in 1,000 conversations: the same figures must hold.
    const history = (models: Models, dbName: string) => seedHistory(models, dbName, 1000, 10_000);
    const hist = {
      existing: await run('switchboard', (s) => existing(s, 20), 2, { agents: 2, before: history }),
      opened: await run('switchboard', (s) => opened(s, 20), 1, { agents: 1, before: history }),
    };
    only(
      'with 10,000 messages stored: messages, 20 visitors / new conversations, 20',
      `${fmt(hist.existing)} msg/s / ${fmt(hist.opened, 1)} /s`,
      '≥ 0.8 × empty',
      `${fmt(hist.existing / existing20, 2)} / ${fmt(hist.opened / opened20, 2)}`,
    );
  }

  if (want('offers')) {
    for (const burst of [10, 50]) {
      const got = { relay: [] as number[], switchboard: [] as number[] };
      for (let turn = 0; turn < 2; turn++)
        for (const k of ['relay', 'switchboard'] as const) {
          const s = await system(k, 10);
          try {
            got[k].push(...(await offers(s, burst)));
          } finally {
            await s.close();
          }
        }
      const p = (xs: number[]) => `${fmt(pct(xs, 50))} / ${fmt(pct(xs, 99))} ms`;
      rows.push({
        figure: `first message acknowledged → agent's offer, burst of ${burst} (p50 / p99)`,
        relay: p(got.relay),
        switchboard: p(got.switchboard),
        ratio: '',
        target: 'within 1 s',
        load: load(),
      });
      log(`offers, burst ${burst}: relay ${p(got.relay)}, switchboard ${p(got.switchboard)}`);
    }
  }

  if (want('takes')) {
    const t = await takes(50);
    only(
      'agents take 50 queued conversations at once (p50 / p99, takes/s)',
      `${fmt(pct(t.lat, 50))} / ${fmt(pct(t.lat, 99))} ms, ${fmt(t.perSecond)} /s`,
    );
  }

  const TARGET_MS = 3000;
  if (want('breaches')) {
    for (const rate of BREACH_RATES) {
      const late = await run(
        'switchboard',
        (s) =>
          breaches(s, rate, BREACH_WINDOW_S, TARGET_MS).then((l) => {
            only(
              `breach lateness, ${rate} new conversations/s (p50 / p99 / max, within 1 s)`,
              `${fmt(pct(l, 50))} / ${fmt(pct(l, 99))} / ${fmt(Math.max(...l))} ms, ${l.filter((x) => x <= 1000).length} of ${l.length}`,
              rate === 10 ? 'every breach within 1 s' : '',
            );
            return 0;
          }),
        0,
        { agents: 0, env: { SLA_PICKUP_TARGET_MS: String(TARGET_MS) } },
      );
      void late;
    }
  }

  if (want('armed')) {
    await run(
      'switchboard',
      async (s) => {
        const l = await breaches(s, 1, BREACH_WINDOW_S * 2, TARGET_MS);
        only(
          `breach lateness with ${ARMED_CLOCKS.toLocaleString('en')} clocks armed, 1/s (p50 / p99)`,
          `${fmt(pct(l, 50))} / ${fmt(pct(l, 99))} ms`,
          'p99 ≤ 250 ms',
        );
        return 0;
      },
      0,
      {
        agents: 0,
        env: { SLA_PICKUP_TARGET_MS: String(TARGET_MS) },
        before: (models, dbName) => armClocks(models, dbName, ARMED_CLOCKS),
      },
    );
  }

  if (want('heap')) {
    const heap = await sideBySide(
      `heap per idle visitor socket, ${IDLE_SOCKETS.toLocaleString('en')} sockets`,
      'B',
      (k) => run(k, (s) => idleSockets(s, IDLE_SOCKETS), 1),
      '≤ 1.5 × relay',
    );
    void heap;
  }

  if (want('processes')) {
    for (const processes of [1, 2, 3]) {
      const m = await run('switchboard', (s) => existing(s, 20), 2, { agents: 2, processes });
      const o = await run('switchboard', (s) => opened(s, 20), 1, { agents: 1, processes });
      only(
        `${processes} gateway process${processes > 1 ? 'es' : ''}: messages, 20 visitors / new conversations, 20`,
        `${fmt(m)} msg/s / ${fmt(o, 1)} /s`,
      );
    }
  }

  const header = ['figure', 'raw relay', 'Switchboard', 'ratio', 'target', 'load (1 min)'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${[r.figure, r.relay, r.switchboard, r.ratio, r.target, r.load].join(' | ')} |`),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
