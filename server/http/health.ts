/** Liveness and readiness (database and Redis answer). Metrics are served apart: see observability/metrics-listener. */
import express from 'express';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { route } from './errors';

export function healthRouter(db: Connection, redis: Redis) {
  const r = express.Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get(
    '/readyz',
    route(async (_req, res) => {
      const checks: Record<string, string> = {};
      const timeout = <T>(p: Promise<T>) =>
        Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
      try {
        await timeout(db.db!.admin().ping());
        checks.mongo = 'ok';
      } catch (err) {
        checks.mongo = (err as Error).message;
      }
      try {
        await timeout(redis.ping());
        checks.redis = 'ok';
      } catch (err) {
        checks.redis = (err as Error).message;
      }
      const ok = Object.values(checks).every((v) => v === 'ok');
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
    }),
  );
  return r;
}
