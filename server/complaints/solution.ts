/**
 * The solution flow of a complaint: an agent records the proposed solution (sent to the
 * customer as a public reply, stopping the solution clock and starting the follow-up
 * clock); the customer's acceptance — marked by an agent or given in the widget — or the
 * completed follow-up closes the complaint and resolves its conversation.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import type { MessageDoc } from '../domain/message';
import type { Actor } from '../ingest/timeline';
import type { Replies } from '../messaging/replies';
import type { ComplaintDoc } from './model';
import type { ComplaintRecords } from './service';
import { assertHandles, authority, scopeOf, sees, type Scope } from '../access/rules';

export type AcceptedBy = ({ type: 'agent' } & Scope) | { type: 'customer' };

const noComplaint = () => new Conflict('no_open_complaint', 'This conversation has no open complaint.');

export class ComplaintSolutions {
  constructor(
    private readonly records: ComplaintRecords,
    private readonly replies: Pick<Replies, 'send'>,
  ) {}

  private get d() {
    return this.records.d;
  }

  /** The conversation (as `by` may see it) and its complaint. */
  private async load(
    conversationId: string,
    by?: Scope,
  ): Promise<{ conv: ConversationDoc; c: ComplaintDoc }> {
    if (!Types.ObjectId.isValid(conversationId)) throw new NotFound('Conversation');
    const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv || (by && !sees(by, conv))) throw new NotFound('Conversation');
    const c = await this.records.of(conversationId);
    if (!c) throw noComplaint();
    return { conv, c };
  }

  /** Records the proposed solution and sends it to the customer; a retry with the same clientId is harmless. */
  async record(
    agent: AgentDoc,
    conversationId: string,
    text: string,
    clientId: string = randomUUID(),
  ): Promise<ComplaintDoc> {
    const pre = await this.load(conversationId, scopeOf(agent));
    if (pre.c.status !== 'open' && pre.c.status !== 'solution_proposed') throw noComplaint();
    const { message } = await this.replies.send(agent, {
      conversationId,
      clientId: `solution:${clientId}`,
      text,
    });
    const actor: Actor = { type: 'agent', id: agent._id };
    const recorded = await this.d.locks.run(conversationId, async () => {
      const { conv, c } = await this.load(conversationId);
      if (c.solution && c.solution.messageId.equals(message._id)) return null;
      if (c.status !== 'open' && c.status !== 'solution_proposed') throw noComplaint();
      const at = this.d.now();
      const solution = { text: message.text, messageId: message._id, agentId: agent._id, at };
      await this.d.models.Complaint.updateOne(
        { _id: c._id },
        { $set: { status: 'solution_proposed', solution } },
      );
      const next: ComplaintDoc = { ...c, status: 'solution_proposed', solution };
      await this.d.timeline.recordOnce(
        conv,
        'complaint.solution_recorded',
        `complaint:solution:${String(message._id)}`,
        { complaintId: String(c._id), text: message.text, messageId: String(message._id) },
        actor,
      );
      await this.d.sla.on('solution_recorded', conv, at, actor);
      this.records.changed(conv, next);
      return { conv, next };
    });
    if (!recorded) return (await this.records.of(conversationId)) ?? pre.c;
    await this.d.notifier.conversationChanged(recorded.conv, { customer: false });
    await this.d.notifier.solutionProposed(recorded.conv, message);
    await this.records.tell('solutionRecorded', recorded.next);
    return recorded.next;
  }

  /**
   * The customer accepts the proposed solution: an agent marks one of their messages
   * written after it (`messageId`), or the customer presses "Accept" in the widget.
   * Closes the complaint and resolves the conversation; accepting twice is harmless.
   */
  async accept(by: AcceptedBy, conversationId: string, messageId: string | null): Promise<ComplaintDoc> {
    const actor: Actor =
      by.type === 'agent' ? { type: 'agent', id: by.agentId } : { type: 'system', id: null };
    const out = await this.d.locks.run(conversationId, async () => {
      const { conv, c } = await this.load(conversationId, by.type === 'agent' ? by : undefined);
      if (c.status === 'closed' && c.accepted) return { conv, c, fresh: false };
      if (c.status !== 'solution_proposed' || !c.solution)
        throw new Conflict('no_solution', 'Record the proposed solution before its acceptance.');
      if (by.type === 'agent') {
        assertHandles(by, conv);
        await this.customerReply(conv, c, messageId);
      }
      const customerActor: Actor = { type: 'contact', id: conv.contactId };
      const accepted = {
        at: this.d.now(),
        messageId: messageId ? new Types.ObjectId(messageId) : null,
        by: by.type,
      };
      const closed = await this.records.close(
        conv,
        c,
        'accepted',
        by.type === 'agent' ? actor : customerActor,
        accepted,
      );
      return { conv, c: closed ?? c, fresh: closed !== null };
    });
    if (!out.fresh) return out.c;
    await this.resolveFor(out.conv, by.type === 'agent' ? by.agentId : null);
    await this.records.tell('closed', out.c);
    return out.c;
  }

  private async customerReply(
    conv: ConversationDoc,
    c: ComplaintDoc,
    messageId: string | null,
  ): Promise<void> {
    const valid = messageId && Types.ObjectId.isValid(messageId);
    const m = valid
      ? await this.d.models.Message.findOne({ _id: messageId, conversationId: conv._id }).lean<MessageDoc>()
      : null;
    if (!m || m.direction !== 'in' || !c.solution || m.createdAt < c.solution.at)
      throw new InvalidInput('messageId: name a customer message written after the solution was proposed.');
  }

  /**
   * The complaint's follow-up task is done: the follow-up clock stops and a complaint
   * still open closes, its conversation resolved on behalf of the agent who followed up.
   */
  async followUpDone(conversationId: string, agentId: string): Promise<void> {
    const actor: Actor = { type: 'agent', id: agentId };
    const out = await this.d.locks.run(conversationId, async () => {
      const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
      if (!conv) return null;
      await this.d.sla.on('complaint_followup_done', conv, this.d.now(), actor);
      const c = await this.records.of(conversationId);
      const closed = c ? await this.records.close(conv, c, 'follow_up', actor) : null;
      return closed ? { conv, closed } : null;
    });
    if (!out) return;
    await this.resolveFor(out.conv, agentId);
    await this.records.tell('closed', out.closed);
  }

  /** Closing the complaint is the authority to resolve it, whoever holds the conversation. */
  private async resolveFor(conv: ConversationDoc, agentId: string | null): Promise<void> {
    const by = agentId ?? (conv.assigneeId ? String(conv.assigneeId) : null);
    if (conv.status === 'resolved' || !by) return;
    await this.d.router.resolve(authority(by), String(conv._id));
  }
}
