/** Choice of the agent for a queued conversation: eligible, free, then least busy or round robin. */
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';

export function pickAgent(
  conv: Pick<ConversationDoc, 'teamId' | 'offerSkips' | 'lastOfferEndedAt'>,
  agents: AgentDoc[],
  loads: Map<string, number>,
  strategy: 'least-busy' | 'round-robin',
  roundPauseMs: number,
  now: Date = new Date(),
): AgentDoc | null {
  const skipped = new Set(conv.offerSkips.map(String));
  const eligible = agents.filter(
    (a) =>
      (loads.get(String(a._id)) ?? 0) < a.capacity &&
      (!conv.teamId || a.teamIds.some((t) => String(t) === String(conv.teamId))),
  );
  // When everyone eligible has let this entry pass, start a new round rather than strand it,
  // but only after a pause, so a decline means something to an agent alone on shift.
  const fresh = eligible.filter((a) => !skipped.has(String(a._id)));
  const pausedUntil = conv.lastOfferEndedAt ? new Date(conv.lastOfferEndedAt).getTime() + roundPauseMs : 0;
  const pool = fresh.length > 0 ? fresh : now.getTime() >= pausedUntil ? eligible : [];
  if (pool.length === 0) return null;
  const lastOffered = (a: AgentDoc) => (a.lastOfferedAt ? new Date(a.lastOfferedAt).getTime() : 0);
  const sorted = [...pool].sort((a, b) => {
    if (strategy === 'least-busy') {
      const d = (loads.get(String(a._id)) ?? 0) - (loads.get(String(b._id)) ?? 0);
      if (d !== 0) return d;
    }
    return lastOffered(a) - lastOffered(b);
  });
  return sorted[0] ?? null;
}
