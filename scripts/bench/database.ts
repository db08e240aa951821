/**
 * Benchmark: the development database's two storages side by side. Starts the FerretDB
 * launcher twice on loopback, once on SQLite files and once on the local PostgreSQL, and
 * measures both in turns (SQLite, PostgreSQL, SQLite, PostgreSQL): inserts with 1 and 20
 * writers, indexed finds on a non-_id field with 10,000 documents stored, and the
 * gateway's hot queries on a seeded history (10,000 messages in 1,000 conversations),
 * the SLA sweep's among them.
 * Prints a table with the machine's load average, then stops what it started.
 * Usage: npm run bench:db [-- seconds-per-measurement] (default 1.5; the run stays under 2 min)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Connection, Types } from 'mongoose';
import { ensureIndexes, registerModels, type Models } from '../../server/domain/models';
import { withDevelopmentKeys } from '../../server/privacy/plugin';
import { DueDocuments, slotOf } from '../../server/storage/timed';

const SECONDS = Number(process.argv[2] ?? 1.5);
const ROOT = path.resolve(__dirname, '../..');
const SERVICES = path.join(ROOT, 'scripts/services.sh');
const LAUNCHER = path.join(ROOT, '.local/bin/ferretdb');
const PG_DB = 'ferretdb_bench';
const PG_URL = `postgres://postgres@127.0.0.1:${process.env.SB_POSTGRES_PORT ?? '5433'}/${PG_DB}`;
const SQLITE_DIR = path.join(ROOT, `.local/data/bench-sqlite-${process.pid}`);
const DOCS = 10_000;
const CONVERSATIONS = 1_000;
const MESSAGES = 10_000;
const HARD_STOP_MS = 115_000;

type Handler = 'sqlite' | 'postgresql';
interface Target {
  handler: Handler;
  process: ChildProcess;
  db: Connection;
  models: Models;
  inboxId: Types.ObjectId;
}
/** One figure: operations per second, and for queries the median time of one. */
interface Figure {
  perSecond: number;
  medianMs: number;
}
type Row = Record<string, Figure>;

const services = (...args: string[]) =>
  execFileSync('bash', [SERVICES, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startFerretDB(handler: Handler): Promise<Target> {
  const port = await freePort();
  const storage = handler === 'sqlite' ? ['-data', SQLITE_DIR] : ['-postgresql-url', PG_URL];
  const child = spawn(
    LAUNCHER,
    ['-listen', `127.0.0.1:${port}`, '-log-level', 'error', '-handler', handler, ...storage],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const db = mongoose.createConnection(`mongodb://127.0.0.1:${port}/bench`, {
    writeConcern: { w: 'majority', j: true },
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 25,
  });
  db.on('error', (err: unknown) => console.error(`${handler}:`, err));
  await db.asPromise();
  const models = registerModels(withDevelopmentKeys(db));
  await ensureIndexes(models);
  await db.collection('docs').createIndex({ key: 1 });
  return { handler, process: child, db, models, inboxId: new Types.ObjectId() };
}

async function insertInBatches(db: Connection, collection: string, n: number, make: (i: number) => object) {
  for (let i = 0; i < n; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => make(i + j));
    await db.collection(collection).insertMany(batch, { ordered: false });
  }
}

/**
 * 10,000 plain documents, and a history shaped like the gateway's: 1,000 conversations
 * (40 live), 10 messages each.
 */
async function seed(t: Target): Promise<void> {
  await insertInBatches(t.db, 'docs', DOCS, (i) => ({ key: `doc-${i}`, n: i, text: 'x'.repeat(200) }));
  const convIds = Array.from({ length: CONVERSATIONS }, () => new Types.ObjectId());
  // A desk some months on: 1 conversation in 25 is live (half queued, half assigned).
  const status = (i: number) => (i % 50 === 0 ? 'queued' : i % 50 === 1 ? 'assigned' : 'resolved');
  const t0 = Date.now() - 86_400_000;
  await insertInBatches(t.db, 'conversations', CONVERSATIONS, (i) => ({
    _id: convIds[i],
    number: i + 1,
    inboxId: t.inboxId,
    contactId: new Types.ObjectId(),
    channel: 'webchat',
    status: status(i),
    liveKey: status(i) === 'resolved' ? `closed:${convIds[i]}` : `live:${i}`,
    priority: i % 4,
    queuedAt: new Date(t0 + i * 60_000),
    lastMessageAt: new Date(t0 + i * 60_000),
    labels: [],
    replyBreaches: 0,
    // Live conversations have an instant pending (an hour ahead: the sweep finds none due).
    ...(status(i) === 'resolved'
      ? { nextClockAt: null, timed: false, timedSlot: null }
      : {
          nextClockAt: new Date(Date.now() + 3600_000),
          timed: true,
          timedSlot: slotOf(Date.now() + 3600_000),
        }),
  }));
  await insertInBatches(t.db, 'messages', MESSAGES, (i) => ({
    conversationId: convIds[i % CONVERSATIONS],
    inboxId: t.inboxId,
    direction: i % 2 ? 'out' : 'in',
    author: { type: i % 2 ? 'agent' : 'contact', id: null },
    text: `Message ${i} about an order that has not arrived yet`,
    dedupeKey: `msg-${i}`,
    meta: {},
    createdAt: new Date(t0 + i * 6_000),
  }));
}

/** Runs `op` from `workers` concurrent callers for SECONDS; ops/s and the median time of one. */
async function measure(workers: number, op: (i: number) => Promise<unknown>): Promise<Figure> {
  const times: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        await op(n++);
        times.push(performance.now() - s);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return {
    perSecond: times.length / ((performance.now() - t0) / 1000),
    medianMs: times[times.length >> 1] ?? NaN,
  };
}

const pick = (n: number) => Math.floor(Math.random() * n);

async function round(t: Target): Promise<Row> {
  const { db, models, inboxId } = t;
  await db
    .collection('writes')
    .drop()
    .catch(() => undefined);
  await db.collection('writes').createIndex({ key: 1 });
  const write = (i: number) =>
    db.collection('writes').insertOne({ key: `w-${i}`, at: new Date(), text: 'hello' });
  const row: Row = {};
  row['inserts, 1 writer'] = await measure(1, write);
  row['inserts, 20 writers'] = await measure(20, write);
  row['indexed find (10,000 docs)'] = await measure(1, () =>
    db.collection('docs').findOne({ key: `doc-${pick(DOCS)}` }),
  );
  row['message by {inboxId, dedupeKey}'] = await measure(1, () =>
    models.Message.findOne({ inboxId, dedupeKey: `msg-${pick(MESSAGES)}` }).lean(),
  );
  row['queue: queued by priority, queuedAt'] = await measure(1, () =>
    models.Conversation.find({ status: 'queued' }).sort({ priority: -1, queuedAt: 1 }).limit(200).lean(),
  );
  const sweep = (filter: object) => () =>
    models.Conversation.find(filter, { _id: 1 }).sort({ nextClockAt: 1 }).limit(200).lean();
  row['SLA sweep by a range on nextClockAt'] = await measure(1, sweep({ nextClockAt: { $lte: new Date() } }));
  row['SLA sweep by timed, then the range'] = await measure(
    1,
    sweep({ timed: true, nextClockAt: { $lte: new Date() } }),
  );
  // The sweep as it runs: after its first, full read, the present slot.
  const due = new DueDocuments(models.Conversation);
  await due.at(new Date());
  row['SLA sweep by slot'] = await measure(1, () => due.at(new Date()));
  row['$inc on a counter'] = await measure(1, () =>
    db
      .collection<{ _id: string; seq: number }>('counters')
      .findOneAndUpdate(
        { _id: 'conversation' },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      ),
  );
  row['newest conversation number'] = await measure(1, () =>
    models.Conversation.findOne({}, { number: 1 }).sort({ number: -1 }).lean(),
  );
  return row;
}

function table(runs: { handler: Handler; row: Row; load: string }[]): string {
  const fmt = (f: Figure, queries: boolean) =>
    queries ? `${f.medianMs.toFixed(1)} ms` : `${Math.round(f.perSecond)}/s`;
  const header = ['', ...runs.map((r, i) => `${r.handler} (${i + 1})`), 'PostgreSQL ÷ SQLite'];
  const lines = [header, header.map(() => '---')];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const name of Object.keys(runs[0]?.row ?? {})) {
    const queries = !name.startsWith('inserts');
    const speed = (h: Handler) =>
      mean(runs.filter((r) => r.handler === h).map((r) => r.row[name]!.perSecond));
    lines.push([
      name + (queries ? ' (median)' : ''),
      ...runs.map((r) => fmt(r.row[name]!, queries)),
      `${(speed('postgresql') / speed('sqlite')).toFixed(1)}× ops/s`,
    ]);
  }
  lines.push(['load average (1 min) before → after', ...runs.map((r) => r.load), '']);
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error('database benchmark: over its time limit; stopping');
    process.kill(process.pid, 'SIGTERM');
  }, HARD_STOP_MS);
  const startedPostgres = !services('running').split('\n').includes('postgres');
  const targets: Target[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= stopAll());
  const stopAll = async () => {
    for (const t of targets) {
      await t.db.close().catch(() => undefined);
      t.process.kill('SIGTERM');
      await new Promise((resolve) =>
        t.process.exitCode === null ? t.process.once('exit', resolve) : resolve(null),
      );
    }
    rmSync(SQLITE_DIR, { recursive: true, force: true });
    services('psql', '-c', `DROP DATABASE IF EXISTS ${PG_DB}`);
    if (startedPostgres) services('stop', 'postgres');
  };
  process.once('SIGTERM', () => void cleanUp().finally(() => process.exit(143)));
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    services('build');
    services('start', 'postgres');
    services('psql', '-c', `DROP DATABASE IF EXISTS ${PG_DB}`, '-c', `CREATE DATABASE ${PG_DB}`);
    mkdirSync(SQLITE_DIR, { recursive: true });
    for (const handler of ['sqlite', 'postgresql'] as const) {
      const t = await startFerretDB(handler);
      targets.push(t);
      const s = performance.now();
      await seed(t);
      console.error(`${handler}: seeded in ${((performance.now() - s) / 1000).toFixed(1)} s`);
    }
    const runs: { handler: Handler; row: Row; load: string }[] = [];
    for (const t of [...targets, ...targets]) {
      const before = os.loadavg()[0]!.toFixed(1);
      const row = await round(t);
      runs.push({ handler: t.handler, row, load: `${before} → ${os.loadavg()[0]!.toFixed(1)}` });
    }
    console.log(
      `FerretDB 1.24, ${os.cpus().length} cores; ${SECONDS} s per measurement; ` +
        `PostgreSQL ${services('psql', '-tAc', 'SHOW server_version').trim()}\n`,
    );
    console.log(table(runs));
  } finally {
    clearTimeout(hardStop);
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
