/**
 * Staffed hours: an inbox is open when its calendar is open and, if its team keeps a rota,
 * someone of that team is on a shift. An inbox whose team has shifts but nobody on duty is
 * out of hours: the widget shows it closed and other channels get the out-of-hours reply,
 * with the next opening when both the calendar is open and a shift runs. Teams without
 * shifts, and inboxes without a team, keep their calendar's hours alone.
 */
import type { CalendarDescription } from '../calendar/business-time';
import type { CalendarStore } from '../calendar/store';
import type { WorkingTime } from '../calendar/working-time';
import type { InboxDirectory } from '../cache/inboxes';
import { ShiftRota, type RotaShift } from './rota';

/** Enough alternations of "calendar closed" and "nobody on duty" to find a common opening. */
const MAX_STEPS = 50;

function staffed(calendar: WorkingTime, shifts: RotaShift[]): WorkingTime {
  const onDuty = (at: Date) => shifts.some((s) => s.time.isOpen(at));
  return {
    ...calendar,
    isOpen: (at) => calendar.isOpen(at) && onDuty(at),
    nextOpening(at) {
      let t: Date | null = at;
      for (let i = 0; i < MAX_STEPS && t; i++) {
        t = calendar.nextOpening(t);
        if (!t) return null;
        if (onDuty(t)) return t;
        t = ShiftRota.nextDuty(shifts, t);
        if (t && calendar.isOpen(t)) return t;
      }
      return null;
    },
  };
}

export class StaffedHours implements Pick<CalendarStore, 'forInbox' | 'describeInbox'> {
  constructor(
    private readonly calendars: CalendarStore,
    private readonly inboxes: InboxDirectory,
    private readonly rota: ShiftRota,
  ) {}

  private async teamShifts(inboxId: string): Promise<RotaShift[]> {
    const inbox = await this.inboxes.get(inboxId);
    return inbox?.teamId ? this.rota.ofTeam(inbox.teamId) : [];
  }

  async forInbox(inboxId: string): Promise<WorkingTime> {
    const [calendar, shifts] = await Promise.all([
      this.calendars.forInbox(inboxId),
      this.teamShifts(inboxId),
    ]);
    return shifts.length === 0 ? calendar : staffed(calendar, shifts);
  }

  async describeInbox(inboxId: string, at: Date): Promise<CalendarDescription | null> {
    const [description, shifts] = await Promise.all([
      this.calendars.describeInbox(inboxId, at),
      this.teamShifts(inboxId),
    ]);
    if (shifts.length === 0) return description;
    const time = staffed(await this.calendars.forInbox(inboxId), shifts);
    const next = time.nextOpening(at);
    return {
      // An inbox with no calendar runs around the clock: its hours are its shifts' then.
      timeZone: description?.timeZone ?? shifts[0]!.doc.timeZone,
      weekly: description?.weekly ?? { '1': [], '2': [], '3': [], '4': [], '5': [], '6': [], '7': [] },
      open: time.isOpen(at),
      nextOpeningAt: next ? next.toISOString() : null,
    };
  }
}
