/**
 * Stranded seats: an accept writes the agent's seat as active, then the conversation as
 * assigned. A process that dies between the two leaves a queued conversation holding an
 * active seat, which dispatch skips for ever. This sweep gives such seats back, once the
 * conversation's lock has lapsed, so the conversation is offered again.
 */
import type { ConversationDoc } from '../domain/conversation';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';

/** Longer than a conversation lock's lease: an accept still running holds the lock. */
export const STRANDED_AFTER_MS = 15_000;

export async function releaseStrandedSeats(
  models: Models,
  locks: ConversationLocks,
  now = new Date(),
): Promise<number> {
  // Active seats are at most the agents' combined capacity: a small, bounded read.
  const seats = await models.Assignment.find(
    { state: 'active', acceptedAt: { $lt: new Date(now.getTime() - STRANDED_AFTER_MS) } },
    { conversationId: 1 },
  )
    .limit(2000)
    .lean();
  if (seats.length === 0) return 0;
  const queued = await models.Conversation.find(
    { _id: { $in: seats.map((s) => s.conversationId) }, status: 'queued' },
    { _id: 1 },
  ).lean<Pick<ConversationDoc, '_id'>[]>();
  let released = 0;
  for (const c of queued) {
    const id = String(c._id);
    released += await locks.run(id, async () => {
      const conv = await models.Conversation.findById(id, { status: 1 }).lean<ConversationDoc>();
      if (conv?.status !== 'queued') return 0;
      const gone = await models.Assignment.deleteOne({ conversationId: c._id, state: 'active' });
      return gone.deletedCount;
    });
  }
  return released;
}
