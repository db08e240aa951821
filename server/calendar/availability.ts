/**
 * Whether an inbox can answer a visitor now: its calendar's hours and whether it is open,
 * and whether an agent who would be offered the chat (of the inbox's team, or anyone when
 * it has none) is online while it is open. A closed inbox never claims agents are online.
 */
import type { OpeningHoursView } from '../../shared/protocol';
import type { InboxDoc } from '../domain/inbox';
import type { Models } from '../domain/models';
import type { CalendarStore } from './store';

export interface InboxAvailability {
  /** Null when the inbox runs around the clock. */
  hours: OpeningHoursView | null;
  online: boolean;
}

export class Availability {
  constructor(
    private readonly models: Models,
    private readonly calendars: Pick<CalendarStore, 'describeInbox'>,
    private readonly now: () => Date,
  ) {}

  async of(inbox: Pick<InboxDoc, '_id' | 'teamId'>): Promise<InboxAvailability> {
    const hours = await this.calendars.describeInbox(String(inbox._id), this.now());
    if (hours && !hours.open) return { hours, online: false };
    const agents = { presence: 'online', active: true, ...(inbox.teamId ? { teamIds: inbox.teamId } : {}) };
    return { hours, online: (await this.models.Agent.exists(agents)) !== null };
  }
}
