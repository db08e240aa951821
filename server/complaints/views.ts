/** The complaint record as REST and socket clients see it. */
import type { ComplaintView } from '../../shared/protocol';
import type { ComplaintDoc } from './model';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function complaintView(c: ComplaintDoc): ComplaintView {
  return {
    id: String(c._id),
    conversationId: String(c.conversationId),
    contactId: String(c.contactId),
    status: c.status,
    openedAt: new Date(c.openedAt).toISOString(),
    solution: c.solution
      ? {
          text: c.solution.text,
          messageId: String(c.solution.messageId),
          agentId: String(c.solution.agentId),
          at: new Date(c.solution.at).toISOString(),
        }
      : null,
    accepted: c.accepted
      ? {
          at: new Date(c.accepted.at).toISOString(),
          messageId: c.accepted.messageId ? String(c.accepted.messageId) : null,
          by: c.accepted.by,
        }
      : null,
    closedAt: iso(c.closedAt),
    closedBy: c.closedBy,
  };
}
