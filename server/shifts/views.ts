/** What the API and the console show of a shift. */
import type { ShiftDoc } from './model';
import { occurrence, shiftTime } from './rota';

export function shiftView(s: ShiftDoc, at: Date) {
  const time = shiftTime(s);
  const running = occurrence(time, at);
  const next = running ? null : time.nextOpening(at);
  return {
    id: String(s._id),
    teamId: String(s.teamId),
    name: s.name,
    agentIds: s.agentIds.map(String),
    timeZone: s.timeZone,
    weekly: s.weekly,
    offDays: s.offDays,
    dutyDays: s.dutyDays,
    running: running
      ? { startsAt: running.startsAt.toISOString(), endsAt: running.endsAt.toISOString() }
      : null,
    nextStartAt: next ? next.toISOString() : null,
  };
}
