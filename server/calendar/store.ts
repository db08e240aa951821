/**
 * The calendars clocks and the widget use, by calendar or by inbox, cached in this process.
 * An inbox without a calendar, or with one that no longer exists, runs around the clock.
 */
import { Types } from 'mongoose';
import { isDuplicateKey, type Models } from '../domain/models';
import type { InboxDoc } from '../domain/inbox';
import { describeCalendar, workingTime, type CalendarDescription } from './business-time';
import type { CalendarDoc } from './model';
import { CalendarInput, type CalendarSpec } from './spec';
import { ALWAYS_OPEN, type WorkingTime } from './working-time';

export const DEFAULT_CALENDAR_NAME = 'Standard hours';

interface Loaded {
  spec: CalendarSpec;
  time: WorkingTime;
}
interface Cached<T> {
  loadedAt: number;
  value: Promise<T>;
}

export interface CalendarStoreOptions {
  /**
   * How long a cached calendar or inbox assignment is trusted. Changes made through this
   * process apply at once (invalidate); this bounds how stale another process's copy can be.
   */
  maxAgeMs?: number;
  now?: () => number;
}

export const specOf = (c: CalendarDoc): CalendarSpec => ({
  timeZone: c.timeZone,
  weekly: c.weekly,
  holidays: c.holidays,
  extraWorkdays: c.extraWorkdays,
});

export class CalendarStore {
  private readonly calendars = new Map<string, Cached<Loaded | null>>();
  private readonly inboxes = new Map<string, Cached<string | null>>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly models: Models,
    options: CalendarStoreOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The working time of a calendar; ALWAYS_OPEN for null or an unknown id. */
  async get(calendarId: string | null): Promise<WorkingTime> {
    return (await this.load(calendarId))?.time ?? ALWAYS_OPEN;
  }

  /** The working time of an inbox's calendar; ALWAYS_OPEN when it has none. */
  async forInbox(inboxId: string): Promise<WorkingTime> {
    return this.get(await this.calendarIdOf(inboxId));
  }

  /** Hours and next opening of an inbox's calendar for customers; null when it runs around the clock. */
  async describeInbox(inboxId: string, at: Date): Promise<CalendarDescription | null> {
    const loaded = await this.load(await this.calendarIdOf(inboxId));
    return loaded ? describeCalendar(loaded.spec, at, loaded.time) : null;
  }

  /** A calendar changed or was deleted: the next use reads it again. */
  invalidate(calendarId: string): void {
    this.calendars.delete(calendarId);
  }

  /** An inbox changed (perhaps its calendar): the next use reads its assignment again. */
  invalidateInbox(inboxId: string): void {
    this.inboxes.delete(inboxId);
  }

  /**
   * Creates the standard calendar (Mon–Fri 09:00–18:00) when there is no calendar at all;
   * answers whether it did. Two processes starting at once create one: the name is unique.
   * Inboxes are not given it: an inbox runs around the clock until an admin assigns one.
   */
  async seedDefault(timeZone: string): Promise<boolean> {
    if (await this.models.Calendar.exists({})) return false;
    const day = [{ open: '09:00', close: '18:00' }];
    const input = CalendarInput.parse({
      name: DEFAULT_CALENDAR_NAME,
      timeZone,
      weekly: { '1': day, '2': day, '3': day, '4': day, '5': day },
    });
    try {
      await this.models.Calendar.create(input);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  private load(calendarId: string | null): Promise<Loaded | null> {
    if (calendarId === null || !Types.ObjectId.isValid(calendarId)) return Promise.resolve(null);
    return this.cached(this.calendars, calendarId, async () => {
      const doc = await this.models.Calendar.findById(calendarId).lean<CalendarDoc>();
      if (!doc) return null;
      const spec = specOf(doc);
      return { spec, time: workingTime(spec) };
    });
  }

  private calendarIdOf(inboxId: string): Promise<string | null> {
    if (!Types.ObjectId.isValid(inboxId)) return Promise.resolve(null);
    return this.cached(this.inboxes, inboxId, async () => {
      const inbox = await this.models.Inbox.findById(inboxId, { calendarId: 1 }).lean<InboxDoc>();
      return inbox?.calendarId ? String(inbox.calendarId) : null;
    });
  }

  /** One read per key at a time; a failed read is not kept, so the next use tries again. */
  private cached<T>(map: Map<string, Cached<T>>, key: string, read: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && this.now() - hit.loadedAt < this.maxAgeMs) return hit.value;
    const value = read();
    const entry = { loadedAt: this.now(), value };
    map.set(key, entry);
    value.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
    return value;
  }
}
