/**
 * The rota: every team's shifts as working times, cached in this process. An agent named
 * on any shift is on duty only while one of their shifts runs; an agent on no shift is
 * always on duty (as before shifts). A team with shifts is staffed while one of its shifts
 * with agents runs; a team without shifts has no rota and is not judged by one.
 */
import type { SettingsChanges } from '../cache/changes';
import type { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { Models } from '../domain/models';
import { workingTime } from '../calendar/business-time';
import type { WorkingTime } from '../calendar/working-time';
import type { DutyRoster } from '../routing/candidates';
import type { ShiftDoc } from './model';

export interface RotaShift {
  doc: ShiftDoc;
  time: WorkingTime;
}

/**
 * How long the rota is trusted. A change is dropped at once on every process (see
 * cache/changes.ts); this bounds what a lost broadcast leaves stale.
 */
const ROTA_MAX_AGE_MS = 30_000;
const DAY_MS = 86_400_000;

export const shiftTime = (s: Pick<ShiftDoc, 'timeZone' | 'weekly' | 'offDays' | 'dutyDays'>) =>
  workingTime({ timeZone: s.timeZone, weekly: s.weekly, holidays: s.offDays, extraWorkdays: s.dutyDays });

/** The running occurrence of a shift at `at` as [start, end), or null when it is not running. */
export function occurrence(time: WorkingTime, at: Date): { startsAt: Date; endsAt: Date } | null {
  if (!time.isOpen(at)) return null;
  const t = at.getTime();
  // Open time is counted in full across the occurrence: search its edges (to the ms) within two days.
  const openFrom = (from: number) => time.businessMsBetween(new Date(from), at) === t - from;
  const openTo = (to: number) => time.businessMsBetween(at, new Date(to)) === to - t;
  let lo = t - 2 * DAY_MS;
  let hi = t;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (openFrom(mid)) hi = mid;
    else lo = mid;
  }
  const startsAt = openFrom(lo) ? lo : hi;
  lo = t;
  hi = t + 2 * DAY_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (openTo(mid)) lo = mid;
    else hi = mid;
  }
  return { startsAt: new Date(startsAt), endsAt: new Date(openTo(hi) ? hi : lo) };
}

export class ShiftRota implements DutyRoster {
  private cache: { at: number; shifts: Promise<RotaShift[]> } | null = null;

  constructor(
    private readonly models: Models,
    readonly now: () => Date,
    private readonly settings?: Pick<SettingsChanges, 'on' | 'changed'>,
  ) {
    settings?.on('shifts', () => {
      this.cache = null;
    });
  }

  /** Every shift; read again after ROTA_MAX_AGE_MS or a change here. */
  shifts(): Promise<RotaShift[]> {
    if (this.cache && Date.now() - this.cache.at < ROTA_MAX_AGE_MS) return this.cache.shifts;
    const shifts = this.models.Shift.find({})
      .lean<ShiftDoc[]>()
      .then((docs) => docs.map((doc) => ({ doc, time: shiftTime(doc) })));
    const entry = { at: Date.now(), shifts };
    this.cache = entry;
    shifts.catch(() => {
      if (this.cache === entry) this.cache = null;
    });
    return shifts;
  }

  /** A shift was saved or deleted here: every process reads the rota again. */
  changed(): void {
    if (this.settings) this.settings.changed('shifts');
    else this.cache = null;
  }

  /** Agents on duty now: those on no shift, and those with a shift running. */
  async onDuty(agents: AgentDoc[]): Promise<AgentDoc[]> {
    const shifts = await this.shifts();
    if (shifts.length === 0) return agents;
    const at = this.now();
    const rostered = new Set<string>();
    const running = new Set<string>();
    for (const s of shifts) {
      const on = s.time.isOpen(at);
      for (const id of s.doc.agentIds) {
        rostered.add(String(id));
        if (on) running.add(String(id));
      }
    }
    return agents.filter((a) => !rostered.has(String(a._id)) || running.has(String(a._id)));
  }

  /** Whether an agent is on a rota at all, and on duty now. */
  async dutyOf(agentId: string): Promise<{ onRota: boolean; onDuty: boolean; shifts: RotaShift[] }> {
    const mine = (await this.shifts()).filter((s) => s.doc.agentIds.some((id) => String(id) === agentId));
    const at = this.now();
    return { onRota: mine.length > 0, onDuty: mine.some((s) => s.time.isOpen(at)), shifts: mine };
  }

  /** A team's shifts that have agents; empty when the team keeps no rota. */
  async ofTeam(teamId: Types.ObjectId | string): Promise<RotaShift[]> {
    return (await this.shifts()).filter(
      (s) => String(s.doc.teamId) === String(teamId) && s.doc.agentIds.length > 0,
    );
  }

  /** The first instant at or after `at` when one of these shifts runs; null if none ever does. */
  static nextDuty(shifts: RotaShift[], at: Date): Date | null {
    let best: number | null = null;
    for (const s of shifts) {
      const t = s.time.nextOpening(at)?.getTime();
      if (t !== undefined && (best === null || t < best)) best = t;
    }
    return best === null ? null : new Date(best);
  }
}
