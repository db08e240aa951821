/**
 * Writes a Resolution row for each `conversation.resolved` on a conversation's timeline (a
 * timeline listener, as the survey asker is). Each row is computed from the timeline
 * alone: the opening it closes, whether anything interrupted the first contact, and who
 * resolved it. Rows already written are skipped, so a late or repeated call is harmless.
 */
import type { Logger } from 'pino';
import type { ConversationDoc } from '../domain/conversation';
import type { ConversationEventDoc } from '../domain/event';
import { isDuplicateKey, type Models } from '../domain/models';

/** Events after which a resolution no longer counts as first contact. */
export const NOT_FIRST_CONTACT = [
  'conversation.reopened',
  'conversation.transferred',
  'conversation.returned',
  'conversation.escalated',
] as const;
const OPENINGS = ['conversation.opened', 'conversation.reopened'];

export class ResolutionRecorder {
  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
  ) {}

  readonly onEvent = (conv: { _id: unknown }, type: string): void => {
    if (type !== 'conversation.resolved') return;
    const conversationId = String(conv._id);
    this.record(conversationId).catch((err: unknown) =>
      this.logger.error({ err, conversationId }, 'resolution not recorded for reports'),
    );
  };

  async record(conversationId: string): Promise<void> {
    const { models } = this;
    const conv = await models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv) return;
    const [events, written] = await Promise.all([
      models.ConversationEvent.find({
        conversationId: conv._id,
        type: { $in: [...OPENINGS, ...NOT_FIRST_CONTACT, 'conversation.resolved'] },
      })
        .sort({ at: 1, _id: 1 })
        .lean<ConversationEventDoc[]>(),
      models.Resolution.find({ conversationId: conv._id }, { resolvedAt: 1 }).lean(),
    ]);
    const done = new Set(written.map((r) => new Date(r.resolvedAt).getTime()));
    const resolutions = events.filter((e) => e.type === 'conversation.resolved');
    const latest = resolutions[resolutions.length - 1];
    let openedAt = new Date(conv.createdAt);
    let interrupted = false;
    for (const e of events) {
      const at = new Date(e.at);
      if (OPENINGS.includes(e.type)) openedAt = at;
      if ((NOT_FIRST_CONTACT as readonly string[]).includes(e.type)) interrupted = true;
      if (e.type !== 'conversation.resolved' || done.has(at.getTime())) continue;
      // The latest resolution is credited to the assignee, as its survey is; earlier ones to who resolved them.
      const agentId =
        e === latest && conv.assigneeId ? conv.assigneeId : e.actor.type === 'agent' ? e.actor.id : null;
      try {
        await models.Resolution.create({
          conversationId: conv._id,
          number: conv.number,
          resolvedAt: at,
          openedAt,
          handleMs: Math.max(0, at.getTime() - openedAt.getTime()),
          firstContact: !interrupted,
          channel: conv.channel,
          inboxId: conv.inboxId,
          teamId: conv.teamId,
          agentId,
          category: conv.category ?? null,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }
}
