/** Prometheus metrics, on a registry owned by one gateway (several can live in one process). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  const clockSeconds = new Histogram({
    name: 'switchboard_sla_clock_seconds',
    help: 'Time from a service-level clock starting to it stopping, by clock and channel.',
    labelNames: ['clock', 'channel'] as const,
    buckets: [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400],
    registers: [registry],
  });
  const breaches = new Counter({
    name: 'switchboard_sla_breaches_total',
    help: 'Service-level clocks that passed their deadline, by clock and channel.',
    labelNames: ['clock', 'channel'] as const,
    registers: [registry],
  });
  const warnings = new Counter({
    name: 'switchboard_sla_warnings_total',
    help: 'Service-level warnings raised before a deadline, by clock and channel.',
    labelNames: ['clock', 'channel'] as const,
    registers: [registry],
  });
  const breachLateness = new Histogram({
    name: 'switchboard_sla_breach_detection_lateness_seconds',
    help: 'How long after its deadline a breach was detected.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const messages = new Counter({
    name: 'switchboard_messages_total',
    help: 'Messages stored, by direction and channel.',
    labelNames: ['direction', 'channel'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'switchboard_duplicate_messages_total',
    help: 'Inbound or client sends recognised as already stored.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const offers = new Counter({
    name: 'switchboard_offers_total',
    help: 'Offers made to agents, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const sends = new Counter({
    name: 'switchboard_outbound_sends_total',
    help: 'Outbound sends by channel and outcome.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const sockets = new Gauge({
    name: 'switchboard_sockets',
    help: 'Connected sockets on this process, by namespace.',
    labelNames: ['namespace'] as const,
    registers: [registry],
  });
  const ingestsInFlight = new Gauge({
    name: 'switchboard_ingests_in_flight',
    help: 'Inbound messages being stored right now (bounded by INGEST_MAX_IN_FLIGHT).',
    registers: [registry],
  });
  const ingestsWaiting = new Gauge({
    name: 'switchboard_ingests_waiting',
    help: 'Inbound messages waiting for a free slot to be stored (bounded by INGEST_MAX_WAITING).',
    registers: [registry],
  });
  const busy = new Counter({
    name: 'switchboard_busy_answers_total',
    help: 'Inbound messages refused with busy (web chat ack) or 503 (webhooks) because too much work was in flight and waiting, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  return {
    registry,
    ingestsInFlight,
    ingestsWaiting,
    busy,
    clockSeconds,
    breaches,
    warnings,
    breachLateness,
    messages,
    duplicates,
    offers,
    sends,
    sockets,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
