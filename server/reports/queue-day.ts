/**
 * The queue over today, hour by hour, for the supervisor's live chart: how many
 * conversations waited at the end of each hour (pickup clocks started minus stopped, from
 * the timeline) and the average pickup wait of the clocks that stopped in it.
 */
import { DateTime } from 'luxon';
import type { Models } from '../domain/models';
import type { Scope } from './sources';

export interface QueueSlot {
  from: string;
  to: string;
  /** Conversations waiting at the end of the slot. */
  queued: number;
  /** Pickup clocks that stopped (picked up or breached) in the slot. */
  pickups: number;
  avgWaitMs: number | null;
}

const SLOTS_AT_ONCE = 6;

export async function queueOverDay(
  models: Models,
  now: Date,
  timeZone: string,
  scope: Scope,
): Promise<{ timeZone: string; from: string; slots: QueueSlot[] }> {
  const day = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const E = models.ConversationEvent;
  const count = (type: string, at: Record<string, Date>) => E.countDocuments({ type, at });
  const before = day.toJSDate();
  const [started, stopped] = await Promise.all([
    count('sla.pickup_started', { $lt: before }),
    count('sla.pickup_stopped', { $lt: before }),
  ]);
  let queued = Math.max(0, started - stopped);
  const ranges: { from: Date; to: Date }[] = [];
  for (let t = day; t.toMillis() < now.getTime(); t = t.plus({ hours: 1 }))
    ranges.push({
      from: t.toJSDate(),
      to: new Date(Math.min(t.plus({ hours: 1 }).toMillis(), now.getTime())),
    });
  const team = scope.teamIds ? { teamId: { $in: scope.teamIds } } : {};
  const slot = async (r: { from: Date; to: Date }) => {
    const at = { $gte: r.from, $lt: r.to };
    const pickups = { stoppedAt: at, clock: 'pickup', ...team };
    const [s, e, n, waits] = await Promise.all([
      count('sla.pickup_started', at),
      count('sla.pickup_stopped', at),
      models.SlaMeasurement.countDocuments(pickups),
      // A sum alone in its `$group`: FerretDB 1.x gives a second accumulator no records.
      models.SlaMeasurement.aggregate<{ ms: number }>([
        { $match: pickups },
        { $group: { _id: null, ms: { $sum: '$elapsedMs' } } },
      ]),
    ]);
    return { s, e, waits: { n, ms: waits[0]?.ms ?? 0 } };
  };
  const slots: QueueSlot[] = [];
  for (let i = 0; i < ranges.length; i += SLOTS_AT_ONCE) {
    const part = ranges.slice(i, i + SLOTS_AT_ONCE);
    const counted = await Promise.all(part.map(slot));
    counted.forEach((c, j) => {
      const r = part[j]!;
      queued = Math.max(0, queued + c.s - c.e);
      slots.push({
        from: r.from.toISOString(),
        to: r.to.toISOString(),
        queued,
        pickups: c.waits.n,
        avgWaitMs: c.waits.n > 0 ? Math.round(c.waits.ms / c.waits.n) : null,
      });
    });
  }
  return { timeZone, from: before.toISOString(), slots };
}
