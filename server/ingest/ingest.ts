/**
 * Ingest: the one entry point every channel calls with a normalised inbound message.
 * It resolves the contact, finds or opens the conversation, stores the message once
 * (dedupe key unique per inbox), reports what happened to the clock engine and records
 * the timeline; when it returns the message is durable and the channel may acknowledge.
 * Routing and notifications follow; if they fail the periodic dispatch and SLA sweep
 * still catch the conversation.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { InboundMessage, IngestResult } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import { InvalidInput, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import type { ConversationLocks } from '../domain/lock';
import type { MessageDoc } from '../domain/message';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Classification } from '../classification/service';
import type { Metrics } from '../observability/metrics';
import type { Notifier } from '../realtime/notifier';
import type { Router } from '../routing/router';
import type { SlaEngine } from '../sla/engine';
import { resolveContact } from './contacts';
import { findOrOpen } from './conversations';
import type { Timeline } from './timeline';

export interface IngestDeps {
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  sla: SlaEngine;
  router: Router;
  notifier: Notifier;
  classification: Pick<Classification, 'opened'>;
  metrics: Metrics;
  logger: Logger;
  reopenWindowMs: number;
  maxMessageLength: number;
  /** Takes a message that answers a survey (an SMS digit) off the normal path; null for any other. */
  surveys?: { take(inbox: InboxDoc, contact: ContactDoc, msg: InboundMessage): Promise<IngestAnswer | null> };
}

type IngestAnswer = IngestResult & { message: MessageDoc; conversation: ConversationDoc };

export class Ingest {
  constructor(private readonly d: IngestDeps) {}

  async ingest(
    msg: InboundMessage,
  ): Promise<IngestResult & { message: MessageDoc; conversation: ConversationDoc }> {
    const { models } = this.d;
    if (!Types.ObjectId.isValid(msg.inboxId)) throw new NotFound('Inbox');
    if (!msg.dedupeKey || msg.dedupeKey.length > 512)
      throw new InvalidInput('A message needs a dedupe key of at most 512 characters.');
    if (msg.text.length > this.d.maxMessageLength)
      throw new InvalidInput(`Messages are limited to ${this.d.maxMessageLength} characters.`);
    const inbox = await models.Inbox.findById(msg.inboxId).lean<InboxDoc>();
    if (!inbox) throw new NotFound('Inbox');

    const already = await models.Message.findOne({
      inboxId: inbox._id,
      dedupeKey: msg.dedupeKey,
    }).lean<MessageDoc>();
    if (already) return this.duplicate(already, inbox);

    const contact = await resolveContact(models, msg.from, msg.profile);
    const answer = await this.d.surveys?.take(inbox, contact, msg);
    if (answer) return answer;
    const found = await findOrOpen(models, inbox, contact, msg, this.d.reopenWindowMs);
    const convId = String(found.conv._id);

    const stored = await this.d.locks.run(convId, async () => {
      const conv = await models.Conversation.findById(convId).lean<ConversationDoc>();
      if (!conv) throw new NotFound('Conversation');
      const at = new Date();
      let message: MessageDoc;
      try {
        const created = await models.Message.create({
          conversationId: conv._id,
          inboxId: inbox._id,
          direction: 'in',
          sender: { type: 'contact', id: contact._id, name: contact.name },
          text: msg.text,
          html: msg.html ?? null,
          attachments: msg.attachments ?? [],
          dedupeKey: msg.dedupeKey,
          meta: {
            ...(msg.meta ?? {}),
            ...(msg.automated ? { automated: true } : {}),
            ...(msg.sentAt ? { sentAt: msg.sentAt } : {}),
          },
          delivery: { status: 'received', providerId: null, error: null, updatedAt: at },
        });
        message = created.toObject();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const dup = await models.Message.findOne({
          inboxId: inbox._id,
          dedupeKey: msg.dedupeKey,
        }).lean<MessageDoc>();
        if (!dup) throw err;
        return { duplicate: true as const, message: dup, conv };
      }
      // Machine mail is owed no answer: it does not count as the customer's last word.
      const set: Partial<ConversationDoc> = msg.automated
        ? { lastMessageAt: at }
        : { lastMessageAt: at, lastCustomerMessageAt: at };
      if (msg.subject && !conv.subject) set.subject = msg.subject;
      await models.Conversation.updateOne({ _id: conv._id }, { $set: set });
      let next: ConversationDoc = { ...conv, ...set };
      const by = { type: 'contact' as const, id: contact._id };
      if (found.change !== 'none') {
        const type = found.change === 'opened' ? 'conversation.opened' : 'conversation.reopened';
        const key = found.change === 'opened' ? 'opened' : `reopened:${String(message._id)}`;
        const data = { channel: inbox.channel, ...(msg.automated ? { automated: true } : {}) };
        const recorded = await this.d.timeline.recordOnce(next, type, key, data, by);
        // Classified before its clocks start, so they start with the category's targets.
        if (found.change === 'opened') next = await this.d.classification.opened(next, msg);
        if (recorded && next.status !== 'resolved') await this.d.sla.on(found.change, next, at, by);
      }
      if (next.status === 'queued' && !next.clocks?.pickup) {
        next = await this.d.router.enqueue(next, at, { teamId: next.teamId ?? inbox.teamId });
      } else if (!msg.automated) {
        // Machine mail (auto-replies, bounces) is owed no answer.
        await this.d.sla.on('customer_message', next, at, by);
      }
      return { duplicate: false as const, message, conv: next };
    });

    if (stored.duplicate) return this.duplicate(stored.message, inbox);
    this.d.metrics.messages.inc({ direction: 'in', channel: inbox.channel });
    this.after(stored.message, stored.conv, found.change !== 'none');
    return {
      duplicate: false,
      messageId: String(stored.message._id),
      conversationId: convId,
      contactId: String(contact._id),
      message: stored.message,
      conversation: stored.conv,
    };
  }

  private async duplicate(m: MessageDoc, inbox: InboxDoc) {
    this.d.metrics.duplicates.inc({ channel: inbox.channel });
    const conv = await this.d.models.Conversation.findById(m.conversationId).lean<ConversationDoc>();
    if (!conv) throw new NotFound('Conversation');
    return {
      duplicate: true,
      messageId: String(m._id),
      conversationId: String(m.conversationId),
      contactId: String(conv.contactId),
      message: m,
      conversation: conv,
    };
  }

  private after(message: MessageDoc, conv: ConversationDoc, statusChanged: boolean): void {
    this.d.notifier.messageStored(message, conv);
    this.d.notifier
      .conversationChanged(conv, { customer: statusChanged })
      .catch((err: unknown) =>
        this.d.logger.error({ err, conversationId: String(conv._id) }, 'notify failed'),
      );
    if (conv.status === 'queued') this.d.router.dispatch();
  }
}
