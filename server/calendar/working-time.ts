/**
 * WorkingTime: what the clocks ask of a service calendar. A calendar answers whether the
 * service is open at an instant, when it next opens, and does business-time arithmetic
 * (deadlines that only count open time, and open time elapsed between two instants).
 * `ALWAYS_OPEN` is the calendar of an inbox without opening hours: every instant counts.
 */
export interface WorkingTime {
  /** Whether the service is open at `at`. */
  isOpen(at: Date): boolean;
  /** The next instant at or after `at` when the service is open (`at` itself when open); null if it never opens again. */
  nextOpening(at: Date): Date | null;
  /** The instant reached by counting `ms` of open time from `start` (closed periods are skipped). */
  addBusinessMs(start: Date, ms: number): Date;
  /** Open time between `from` and `to` in milliseconds (0 when `to` is not after `from`). */
  businessMsBetween(from: Date, to: Date): number;
}

export const ALWAYS_OPEN: WorkingTime = {
  isOpen: () => true,
  nextOpening: (at) => at,
  addBusinessMs: (start, ms) => new Date(start.getTime() + ms),
  businessMsBetween: (from, to) => Math.max(0, to.getTime() - from.getTime()),
};
