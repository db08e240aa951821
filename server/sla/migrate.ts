/**
 * Start-up migration of conversations stored before the clock catalogue: their
 * `pickupClock` and `replyClock` move to `clocks.pickup` / `clocks.reply` (calendar time,
 * no policy rule) and `nextClockAt` is set. Idempotent and safe with several processes:
 * it runs before the process serves anything, each write is conditional on the old
 * fields being unchanged (two processes migrating one conversation write the same
 * result), and a clock already under `clocks` wins over the old copy. Once-only keys (`<kind>:<point>:
 * <startedAt>`) do not change, so a warning or breach already recorded is not repeated.
 */
import type { Logger } from 'pino';
import type { Clock, ConversationDoc, RunningClocks } from '../domain/conversation';
import type { Models } from '../domain/models';
import { nextClockAt } from './clock';

const LEGACY = { pickupClock: 'pickup', replyClock: 'reply' } as const;
type LegacyField = keyof typeof LEGACY;
type LegacyDoc = Pick<ConversationDoc, '_id' | 'clocks'> &
  Partial<Record<LegacyField, Omit<Clock, 'businessHours' | 'policy'> | null>>;

const hasLegacy = { $or: Object.keys(LEGACY).map((f) => ({ [f]: { $exists: true } })) };

export async function migrateLegacyClocks(models: Models, logger: Logger): Promise<number> {
  // The old fields are not in the schema any more: read and write them through the driver.
  const raw = models.Conversation.collection;
  let moved = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = await raw
      .find<LegacyDoc>(hasLegacy, { projection: { _id: 1 } })
      .limit(200)
      .toArray();
    const fresh = batch.filter((d) => !seen.has(String(d._id)));
    // Nothing new: done (or another process holds the rest and will finish them).
    if (fresh.length === 0) break;
    for (const { _id } of fresh) {
      seen.add(String(_id));
      const doc = await raw.findOne<LegacyDoc>({ _id, ...hasLegacy });
      if (!doc) continue;
      const clocks: RunningClocks = { ...(doc.clocks ?? {}) };
      for (const [field, kind] of Object.entries(LEGACY) as [LegacyField, 'pickup' | 'reply'][]) {
        const old = doc[field];
        if (old && !clocks[kind]) clocks[kind] = { ...old, businessHours: false, policy: null };
      }
      const unchanged = { pickupClock: doc.pickupClock ?? null, replyClock: doc.replyClock ?? null };
      const r = await raw.updateOne(
        { _id, ...unchanged },
        { $set: { clocks, nextClockAt: nextClockAt(clocks) }, $unset: { pickupClock: '', replyClock: '' } },
      );
      moved += r.modifiedCount;
    }
  }
  if (moved > 0) logger.info({ moved }, 'conversation clocks moved to the clock catalogue');
  return moved;
}
