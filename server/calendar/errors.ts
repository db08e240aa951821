/** Errors of service calendars: one the arithmetic raises, one the administration answers. */
import { Conflict } from '../domain/errors';

/**
 * Business time cannot be counted on a calendar that does not open again within the
 * search horizon (about three years): no deadline exists, so none is invented.
 */
export class CalendarNeverOpens extends Error {
  constructor(readonly timeZone: string) {
    super(
      `The calendar (${timeZone}) has no opening hours within three years; business time cannot be counted.`,
    );
    this.name = 'CalendarNeverOpens';
  }
}

export class CalendarInUse extends Conflict {
  constructor() {
    super('calendar_in_use', 'An inbox uses this calendar; give the inbox another calendar first.');
  }
}
