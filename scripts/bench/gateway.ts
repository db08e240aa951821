/**
 * What the benchmarks share: a gateway on the local services with a database of its own
 * (dropped when it closes), a web chat inbox keyed like that database, and percentiles.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';

export async function benchGateway(env: Record<string, string> = {}) {
  const db = `bench_${randomBytes(3).toString('hex')}`;
  const app = await createApp(
    loadConfig({
      PORT: '0',
      MONGO_URL: `mongodb://127.0.0.1:${process.env.SB_FERRETDB_PORT ?? '27117'}/${db}`,
      REDIS_URL: `redis://127.0.0.1:${process.env.SB_REDIS_PORT ?? '6479'}`,
      REDIS_PREFIX: db,
      AUTH_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
  const url = await app.start();
  const inbox = await app.models.Inbox.create({ name: 'Bench', channel: 'webchat', key: db });
  return {
    app,
    url,
    db,
    inbox,
    async close() {
      await app.db.dropDatabase().catch(() => undefined);
      await app.close();
    },
  };
}

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
