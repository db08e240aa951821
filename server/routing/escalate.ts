/**
 * SecondLine: moves a conversation from its first-line team to its inbox's second-line
 * team, when the escalation clock breaches or an agent escalates. Exactly once per
 * escalation, whatever the number of processes: under the conversation's lock, only while
 * it is not already with that team, and through a once-only timeline key. The conversation
 * goes back to the queue of the second line; supervisors see it and the customer is told.
 */
import type { Logger } from 'pino';
import { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, ConversationResolved, NotAssignedToYou, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import type { Router } from './router';
import type { Seats } from './seats';
import { handles, sees, type Scope } from '../access/rules';

export interface EscalatedBy extends Scope {
  note?: string;
}

export class SecondLine {
  constructor(
    private readonly models: Models,
    private readonly locks: ConversationLocks,
    private readonly seats: Seats,
    private readonly router: Router,
    private readonly timeline: Timeline,
    private readonly notifier: Notifier,
    private readonly tellCustomer: (conversationId: string, key: string) => Promise<void>,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /** An agent escalates: errors say why it cannot move (not theirs, resolved, no second line, already there). */
  async byAgent(conversationId: string, by: EscalatedBy): Promise<ConversationDoc> {
    const conv = await this.move(conversationId, by);
    if (typeof conv === 'string') throw refusal(conv);
    return conv;
  }

  /** The escalation clock breached: moves if it can; otherwise the breach alert is all there is. */
  async onBreach(conversationId: string): Promise<void> {
    const outcome = await this.move(conversationId, null);
    if (typeof outcome === 'string')
      this.logger.info({ conversationId, outcome }, 'escalation breach: conversation not moved');
  }

  private async move(conversationId: string, by: EscalatedBy | null): Promise<ConversationDoc | Refusal> {
    if (!Types.ObjectId.isValid(conversationId)) throw new NotFound('Conversation');
    let freed: string | null = null;
    let from: ConversationDoc['teamId'] = null;
    let key = '';
    const moved = await this.locks.run(conversationId, async (): Promise<ConversationDoc | Refusal> => {
      const c = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
      if (!c || (by && !sees(by, c))) throw new NotFound('Conversation');
      if (c.status === 'resolved') return 'resolved';
      if (by && !handles(by, c)) return 'not_yours';
      const inbox = await this.models.Inbox.findById(c.inboxId, { secondLineTeamId: 1 }).lean<InboxDoc>();
      const to = inbox?.secondLineTeamId ?? null;
      if (!to) return 'no_second_line';
      if (String(c.teamId) === String(to)) return 'already';
      // One escalation per run of the escalation clock (or per queue entry when it is not running).
      const run = new Date(c.clocks?.escalation?.startedAt ?? c.queuedAt ?? c.createdAt).getTime();
      key = `escalated:${String(c.teamId)}:${run}`;
      const data = { from: c.teamId, to, reason: by ? 'agent' : 'escalation_breach', note: by?.note ?? null };
      const actor = by ? { type: 'agent' as const, id: by.agentId } : { type: 'system' as const, id: null };
      if (!(await this.timeline.recordOnce(c, 'conversation.escalated', key, data, actor))) return 'already';
      from = c.teamId;
      const seat = await this.seats.release(c._id);
      freed = seat ? String(seat.agentId) : null;
      return this.router.enqueue(c, this.now(), { teamId: to });
    });
    if (typeof moved === 'string') return moved;
    if (freed) {
      this.notifier.offerRevoked(freed, conversationId, 'returned');
      await this.router.announceLoad(new Types.ObjectId(freed));
    }
    await this.notifier.conversationChanged(moved);
    this.notifier.queueAdvanced({ teamId: from });
    await this.tellCustomer(conversationId, key);
    this.router.dispatch();
    return moved;
  }
}

type Refusal = 'resolved' | 'not_yours' | 'no_second_line' | 'already';

function refusal(r: Refusal): Error {
  if (r === 'resolved') return new ConversationResolved();
  if (r === 'not_yours') return new NotAssignedToYou();
  if (r === 'no_second_line')
    return new Conflict('no_second_line', 'This inbox has no second-line team to escalate to.');
  return new Conflict('already_escalated', 'The conversation is already with the second-line team.');
}
