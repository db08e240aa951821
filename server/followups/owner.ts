/**
 * Who owns a follow-up: the agent who first handled the customer (their first accepted,
 * taken or agent-started conversation on the timeline), or that agent's team when the
 * agent is disabled or gone; with no such agent, the team of the conversation followed up.
 */
import type { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { Models } from '../domain/models';

export interface Owner {
  ownerAgentId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
}

const HANDLED = ['conversation.accepted', 'conversation.taken', 'conversation.started_by_agent'];

export async function ownerOf(
  models: Models,
  contactId: Types.ObjectId,
  fallbackTeamId: Types.ObjectId | null,
): Promise<Owner> {
  const convs = await models.Conversation.find({ contactId }, { _id: 1 })
    .sort({ createdAt: 1 })
    .limit(500)
    .lean();
  const first = await models.ConversationEvent.findOne(
    { conversationId: { $in: convs.map((c) => c._id) }, type: { $in: HANDLED }, 'actor.type': 'agent' },
    { actor: 1 },
  )
    .sort({ at: 1, _id: 1 })
    .lean();
  const agent = first?.actor.id
    ? await models.Agent.findById(first.actor.id, { active: 1, teamIds: 1 }).lean<AgentDoc>()
    : null;
  const team = agent?.teamIds?.[0] ?? fallbackTeamId;
  if (agent?.active) return { ownerAgentId: agent._id, teamId: team };
  return { ownerAgentId: null, teamId: team };
}
