/** Follow-up tasks as REST and socket clients see them. */
import type { FollowUpView } from '../../shared/protocol';
import type { FollowUpTaskDoc } from './model';

const id = (v: unknown) => (v ? String(v) : null);

export function followUpView(t: FollowUpTaskDoc, contactName: string | null, now: Date): FollowUpView {
  return {
    id: String(t._id),
    contactId: String(t.contactId),
    contactName,
    conversationId: id(t.conversationId),
    reason: t.reason,
    ownerAgentId: id(t.ownerAgentId),
    teamId: id(t.teamId),
    dueAt: new Date(t.dueAt).toISOString(),
    overdue: t.status === 'open' && new Date(t.dueAt) <= now,
    status: t.status,
    note: t.note,
    startedConversationId: id(t.startedConversationId),
    outcome: t.outcome
      ? {
          reached: t.outcome.reached,
          satisfied: t.outcome.satisfied,
          note: t.outcome.note,
          newConversationId: id(t.outcome.newConversationId),
        }
      : null,
    createdAt: new Date(t.createdAt).toISOString(),
    doneAt: t.doneAt ? new Date(t.doneAt).toISOString() : null,
  };
}
