/**
 * The routing sweep. Dispatch looks at the queue again at the sweep's pace, so skill and
 * VIP waits end on time even when nothing else happens. Offers past their expiry, agents
 * past their offline grace and stranded seats have timers or events of their own; the
 * sweep for them is a safety net, run at a slower pace.
 */
import type { Logger } from 'pino';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { PresenceService } from './presence';
import type { Router } from './router';
import { releaseStrandedSeats } from './stranded';

export interface RoutingSweepDeps {
  models: Models;
  locks: ConversationLocks;
  router: Router;
  presence: PresenceService;
  logger: Logger;
  /** How often dispatch looks again. */
  dispatchEveryMs: number;
  /** How often the safety net runs. */
  safetyEveryMs: number;
}

export class RoutingSweep {
  private timer: NodeJS.Timeout | null = null;
  /** The first tick runs the safety net: a process that starts after a crash cleans up at once. */
  private lastSafetyAt = -Infinity;

  constructor(private readonly d: RoutingSweepDeps) {}

  start(): void {
    this.timer = setTimeout(() => this.tick(), this.d.dispatchEveryMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const { router, presence, models, locks, logger } = this.d;
    const safety = Date.now() - this.lastSafetyAt >= this.d.safetyEveryMs;
    if (safety) this.lastSafetyAt = Date.now();
    const nets = safety
      ? Promise.all([router.expireDueOffers(), presence.sweep(), releaseStrandedSeats(models, locks)])
      : Promise.resolve();
    nets
      .then(() => router.dispatch())
      .catch((err: unknown) => logger.error({ err }, 'routing sweep failed'))
      .finally(() => {
        if (this.timer) this.timer = setTimeout(() => this.tick(), this.d.dispatchEveryMs);
      });
  }
}
