/** Liveness, readiness (database and Redis answer) and Prometheus metrics. */
import express from 'express';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import type { Metrics } from '../observability/metrics';
import { route } from './errors';

export function healthRouter(db: Connection, redis: Redis, metrics: Metrics) {
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
  r.get(
    '/metrics',
    route(async (_req, res) => {
      res.set('Content-Type', metrics.registry.contentType);
      res.send(await metrics.registry.metrics());
    }),
  );
  return r;
}
