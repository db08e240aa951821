/**
 * A VIP's dedicated agent: a queued conversation of a VIP contact with a dedicated agent is
 * offered to that agent alone (whatever their team) when they are online, on duty and have
 * a free seat. When that agent is online but full, the conversation waits for their seat up
 * to ROUTING_VIP_WAIT_MS from entering the queue; when they are offline, off duty, let this
 * queue entry's offer pass or the wait is over, it is routed as any other, at once.
 */
import type { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';

type Entry = Pick<ConversationDoc, 'offerSkips' | 'queuedAt'>;

/** The dedicated agent alone, `hold` (wait for their seat), or null (route as usual). */
export function dedicatedChoice(
  conv: Entry,
  dedicatedAgentId: Types.ObjectId | string | null | undefined,
  online: AgentDoc[],
  loads: Map<string, number>,
  waitMs: number,
  now: Date,
): AgentDoc | 'hold' | null {
  if (!dedicatedAgentId) return null;
  const id = String(dedicatedAgentId);
  const agent = online.find((a) => String(a._id) === id);
  if (!agent || conv.offerSkips.some((s) => String(s) === id)) return null;
  if ((loads.get(id) ?? 0) < agent.capacity) return agent;
  const queuedAt = conv.queuedAt ? new Date(conv.queuedAt).getTime() : now.getTime();
  return now.getTime() < queuedAt + waitMs ? 'hold' : null;
}

/** The dedicated agents of the VIP contacts among queued conversations, by contact id (one read). */
export async function dedicatedAgents(
  models: Models,
  queued: Pick<ConversationDoc, 'contactId'>[],
): Promise<Map<string, Types.ObjectId>> {
  if (queued.length === 0) return new Map();
  const contacts = await models.Contact.find(
    { _id: { $in: queued.map((c) => c.contactId) }, vip: true, dedicatedAgentId: { $ne: null } },
    { dedicatedAgentId: 1 },
  ).lean<Pick<ContactDoc, '_id' | 'dedicatedAgentId'>[]>();
  return new Map(contacts.map((c) => [String(c._id), c.dedicatedAgentId as Types.ObjectId]));
}
