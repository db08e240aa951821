/**
 * Where Prometheus scrapes: a listener of its own (METRICS_PORT, on METRICS_HOST, by
 * default loopback only), away from the customer-facing port; and on the main port only
 * for a scraper that presents METRICS_TOKEN. A metrics port that cannot be opened is
 * logged and the gateway runs on without it.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';

export interface MetricsExposure {
  host: string;
  /** null: no listener of its own. */
  port: number | null;
  /** When set, `/metrics` on the main port answers a scraper sending `Authorization: Bearer <token>`. */
  token: string | undefined;
}

async function exposition(metrics: Metrics): Promise<{ type: string; body: string }> {
  return { type: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `/metrics` on the main port: behind the token, or not there at all. */
export function guardedMetrics(metrics: Metrics, token: string | undefined): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (!token || !header.startsWith('Bearer ') || !sameSecret(header.slice(7), token)) {
      res.status(404).json({ error: { code: 'not_found', message: 'No such endpoint.' } });
      return;
    }
    exposition(metrics).then(({ type, body }) => res.type(type).send(body), next);
  };
}

export class MetricsListener {
  private server: Server | null = null;
  url: string | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly exposure: MetricsExposure,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const { host, port } = this.exposure;
    if (port === null) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      exposition(this.metrics).then(
        ({ type, body }) => res.writeHead(200, { 'content-type': type }).end(body),
        (err: unknown) => {
          this.logger.error({ err }, 'metrics exposition failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
        },
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (err) {
      this.logger.error({ err, host, port }, 'metrics port could not be opened; serving without it');
      return;
    }
    server.on('error', (err) => this.logger.error({ err }, 'metrics listener error'));
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}/metrics`;
    this.logger.info({ metricsUrl: this.url }, 'metrics listening');
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
