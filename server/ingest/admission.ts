/**
 * Admission: the gate in front of ingest for every channel. At most `maxInFlight` inbound
 * messages are being stored at once, so the database pool keeps connections for the SLA
 * engine and agents. Past that, up to `maxWaiting` more wait their turn in arrival order
 * (they cost no database work while they wait); one more than that is refused at once with
 * `Overloaded` (`busy` ack, or 503 + Retry-After on webhooks) instead of piling up, and
 * the gateway recovers when load stops.
 */
import { Overloaded } from '../domain/errors';
import type { ChannelKind } from '../domain/types';
import type { Metrics } from '../observability/metrics';

export interface AdmissionLimits {
  maxInFlight: number;
  /** Messages that may wait for a free slot; 0 refuses every one past `maxInFlight`. */
  maxWaiting: number;
  retryAfterMs: number;
}

export class Admission {
  private inFlight = 0;
  /** Callers waiting for a slot, first come first served; each is handed the slot it waits for. */
  private readonly waiting: (() => void)[] = [];

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
    await this.enter(channel);
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private async enter(channel: ChannelKind): Promise<void> {
    if (this.inFlight < this.limits.maxInFlight) {
      this.inFlight++;
      this.metrics.ingestsInFlight.set(this.inFlight);
      return;
    }
    if (this.waiting.length >= this.limits.maxWaiting) throw this.refuse(channel);
    this.metrics.ingestsWaiting.set(this.waiting.length + 1);
    // The slot is handed over by `leave` without being freed, so nobody can overtake.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private leave(): void {
    const next = this.waiting.shift();
    this.metrics.ingestsWaiting.set(this.waiting.length);
    if (next) return next();
    this.inFlight--;
    this.metrics.ingestsInFlight.set(this.inFlight);
  }
}
