/** A small calendar for clock tests: closed until `opens`, then open for good. */
import type { WorkingTime } from '../../server/calendar/working-time';

export function closedUntil(opens: Date | (() => Date)): WorkingTime {
  const o = () => (typeof opens === 'function' ? opens() : opens).getTime();
  return {
    isOpen: (at) => at.getTime() >= o(),
    nextOpening: (at) => new Date(Math.max(at.getTime(), o())),
    addBusinessMs: (start, ms) => new Date(Math.max(start.getTime(), o()) + ms),
    businessMsBetween: (from, to) => Math.max(0, to.getTime() - Math.max(from.getTime(), o())),
  };
}
