/**
 * Replies: what agents (and Switchboard itself) write into a conversation. A public
 * reply stops the reply clock, and from the queue it picks the conversation up first;
 * a private note reaches agents only; an automatic message stops no clock. Sends are
 * idempotent by the client's id and leave through the inbox's outbound queue.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { AttachmentView } from '../../shared/protocol';
import type { AgentDoc } from '../domain/agent';
import type { Attachment } from '../domain/types';
import type { ContactDoc } from '../domain/contact';
import { previewOf, type ConversationDoc } from '../domain/conversation';
import { ContactUnreachable, ConversationResolved, InvalidInput, NotFound } from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import type { MessageDoc } from '../domain/message';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Metrics } from '../observability/metrics';
import type { OutboundQueues } from '../queues/outbound';
import type { Notifier } from '../realtime/notifier';
import type { Router } from '../routing/router';
import type { SlaEngine } from '../sla/engine';
import { assertHandles, assertSees, scopeOf } from '../access/rules';

export interface AgentSend {
  conversationId: string;
  clientId: string;
  text: string;
  private?: boolean;
  attachments?: AttachmentView[];
}

export class Replies {
  constructor(
    private readonly models: Models,
    private readonly locks: ConversationLocks,
    private readonly router: Router,
    private readonly sla: SlaEngine,
    private readonly outbound: OutboundQueues,
    private readonly notifier: Notifier,
    private readonly metrics: Metrics,
    private readonly maxLength: number,
    private readonly uploads: { resolve(list: { url?: string }[]): Promise<Attachment[]> },
    private readonly logger: Logger,
  ) {}

  async send(agent: AgentDoc, p: AgentSend): Promise<{ message: MessageDoc; conversation: ConversationDoc }> {
    const text = p.text.trim();
    if (!text && !p.attachments?.length) throw new InvalidInput('A message needs text or an attachment.');
    if (text.length > this.maxLength)
      throw new InvalidInput(`Messages are limited to ${this.maxLength} characters.`);
    if (!Types.ObjectId.isValid(p.conversationId)) throw new NotFound('Conversation');
    const agentId = String(agent._id);
    const isNote = p.private === true;

    const pre = await this.models.Conversation.findById(p.conversationId).lean<ConversationDoc>();
    if (!pre) throw new NotFound('Conversation');
    const dedupeKey = `agent:${agentId}:${p.clientId}`;
    const existing = await this.models.Message.findOne({
      inboxId: pre.inboxId,
      dedupeKey,
    }).lean<MessageDoc>();
    if (existing) return { message: existing, conversation: pre };
    if (!isNote && pre.status === 'resolved') throw new ConversationResolved();
    const scope = scopeOf(agent);
    assertSees(scope, pre);
    if (!isNote && pre.status === 'queued') await this.router.take(scope, p.conversationId);

    const attachments = p.attachments?.length ? await this.uploads.resolve(p.attachments) : [];
    const result = await this.locks.run(p.conversationId, async () => {
      const conv = assertSees(
        scope,
        await this.models.Conversation.findById(p.conversationId).lean<ConversationDoc>(),
      );
      // Replies and notes alike: the holder's (or nobody's) conversation, or a supervisor's of its team.
      assertHandles(scope, conv);
      if (!isNote) {
        if (conv.status === 'resolved') throw new ConversationResolved();
        const contact = await this.models.Contact.findById(conv.contactId).lean<ContactDoc>();
        const reach = contact?.reachability?.[conv.channel];
        if (reach && !reach.reachable) {
          throw new ContactUnreachable(
            `The customer cannot be reached on ${conv.channel}: ${reach.reason ?? 'unreachable'}.`,
          );
        }
      }
      const at = new Date();
      const stored = await this.insertOnce({
        conversationId: conv._id,
        inboxId: conv.inboxId,
        sender: { type: 'agent', id: agent._id, name: agent.name },
        private: isNote,
        text,
        attachments,
        dedupeKey,
        meta: { clientId: p.clientId },
        delivery: { status: isNote ? 'sent' : 'pending', providerId: null, error: null, updatedAt: at },
      });
      const message = stored.message;
      if (!stored.fresh) return { message, conversation: conv, fresh: false };
      if (isNote) return { message, conversation: conv, fresh: true };
      const preview = previewOf('agent', text, attachments);
      const set = { lastAgentReplyAt: at, lastMessageAt: at, ...(preview ? { preview } : {}) };
      await this.models.Conversation.updateOne({ _id: conv._id }, { $set: set });
      const next = { ...conv, ...set };
      await this.sla.on('agent_reply', next, at, { type: 'agent', id: agentId });
      return { message, conversation: next, fresh: true };
    });

    if (result.fresh) {
      this.metrics.messages.inc({ direction: 'out', channel: result.conversation.channel });
      this.notifier.messageStored(result.message, result.conversation);
      if (!isNote) {
        await this.outbound.enqueue(result.message);
        await this.notifier.conversationChanged(result.conversation, { customer: false });
      }
    }
    return { message: result.message, conversation: result.conversation };
  }

  /**
   * An automatic message from Switchboard (e.g. the customer's place in the queue); stored
   * once per key. Only `afterResolution` messages (a satisfaction survey) go to a resolved one.
   */
  async automatic(
    conversationId: string,
    key: string,
    text: string,
    opts: { afterResolution?: boolean; meta?: Record<string, unknown> } = {},
  ): Promise<void> {
    const conv = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv || (conv.status === 'resolved' && !opts.afterResolution)) return;
    const { message, fresh } = await this.insertOnce({
      conversationId: conv._id,
      inboxId: conv.inboxId,
      sender: { type: 'system', id: null, name: null },
      automatic: true,
      text,
      meta: opts.meta ?? {},
      dedupeKey: `auto:${key}`,
      delivery: { status: 'pending', providerId: null, error: null, updatedAt: new Date() },
    });
    if (!fresh) return;
    this.notifier.messageStored(message, conv);
    await this.outbound.enqueue(message);
    this.logger.debug({ conversationId }, 'automatic message queued');
  }

  /** Inserts an outgoing message, or finds the one already stored under its dedupe key. */
  private async insertOnce(
    fields: Partial<MessageDoc> & Pick<MessageDoc, 'inboxId' | 'dedupeKey'>,
  ): Promise<{ message: MessageDoc; fresh: boolean }> {
    try {
      return {
        message: (await this.models.Message.create({ direction: 'out', ...fields })).toObject(),
        fresh: true,
      };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const dup = await this.models.Message.findOne({
        inboxId: fields.inboxId,
        dedupeKey: fields.dedupeKey,
      }).lean<MessageDoc>();
      if (!dup) throw err;
      return { message: dup, fresh: false };
    }
  }
}
