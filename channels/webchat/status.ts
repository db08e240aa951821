/** What the visitor is told about their conversation: status, place in the queue, pickup deadline, agent. */
import type { VisitorStatusView } from '../../shared/protocol';
import { placeInQueue, type ConversationDoc } from '../../server/domain/conversation';
import type { Models } from '../../server/domain/models';

export async function visitorStatus(
  models: Models,
  conv: ConversationDoc | null,
  known: { agentName?: string | null; queuePosition?: number | null } = {},
): Promise<VisitorStatusView> {
  if (!conv)
    return { conversationId: null, status: null, queuePosition: null, pickupDueAt: null, agentName: null };
  const queuePosition =
    known.queuePosition !== undefined && conv.status === 'queued'
      ? known.queuePosition
      : await placeInQueue(models.Conversation, conv);
  const agentName = !conv.assigneeId
    ? null
    : known.agentName !== undefined
      ? known.agentName
      : ((await models.Agent.findById(conv.assigneeId, { name: 1 }).lean())?.name ?? null);
  return {
    conversationId: String(conv._id),
    status: conv.status,
    queuePosition,
    pickupDueAt: conv.clocks?.pickup ? new Date(conv.clocks.pickup.dueAt).toISOString() : null,
    agentName,
  };
}
