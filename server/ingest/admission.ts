/**
 * Admission: the gate in front of ingest for every channel. At most `maxInFlight` inbound
 * messages are being stored at once; one more is refused at once with `Overloaded`
 * (`busy` ack, or 503 + Retry-After on webhooks) instead of queueing on the database, so
 * the pool keeps connections for the SLA engine and the gateway recovers when load stops.
 */
import { Overloaded } from '../domain/errors';
import type { ChannelKind } from '../domain/types';
import type { Metrics } from '../observability/metrics';

export interface AdmissionLimits {
  maxInFlight: number;
  retryAfterMs: number;
}

export class Admission {
  private inFlight = 0;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly metrics: Metrics,
  ) {}

  /** Answers `busy` now, counted, for a caller that bounds its own work (a visitor socket). */
  refuse(channel: ChannelKind): Overloaded {
    this.metrics.busy.inc({ channel });
    return new Overloaded(this.limits.retryAfterMs);
  }

  async run<T>(channel: ChannelKind, work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limits.maxInFlight) throw this.refuse(channel);
    this.inFlight++;
    this.metrics.ingestsInFlight.set(this.inFlight);
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.metrics.ingestsInFlight.set(this.inFlight);
    }
  }
}
