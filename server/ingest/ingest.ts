/**
 * Ingest: the one entry point every channel calls with a normalised inbound message.
 * It resolves the contact, finds or opens the conversation, stores the message once
 * (dedupe key unique per inbox), reports what happened to the clock engine and records
 * the timeline; when it returns the message is durable and the channel may acknowledge.
 * Routing and notifications follow; if they fail the periodic dispatch and SLA sweep
 * still catch the conversation.
 *
 * The hot path is a message in a conversation that is already open: the inbox and the
 * contact come from in-process directories and the conversation from the live key this
 * process saw last, checked under the conversation's lock, so such a message costs a
 * read of the conversation, the insert and one update (and one insert of timeline events
 * when a clock changes). Whatever the message changes in the conversation — opening,
 * classification, clocks, entering the queue — is gathered into one ConversationWrite.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { InboxDirectory } from '../cache/inboxes';
import type { ContactDirectory } from '../cache/contacts';
import { Cached } from '../cache/cached';
import type { InboundMessage, IngestResult } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import { previewOf, type ConversationDoc } from '../domain/conversation';
import { InvalidInput, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import type { ConversationLocks } from '../domain/lock';
import type { MessageDoc } from '../domain/message';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Classification } from '../classification/service';
import type { Metrics } from '../observability/metrics';
import type { OutOfHoursReplies } from '../notices/out-of-hours';
import type { Notifier } from '../realtime/notifier';
import type { Router } from '../routing/router';
import type { SlaEngine } from '../sla/engine';
import { findFor, liveKeyOf, openFor, type Found } from './conversations';
import { takeCreated } from './contacts';
import type { Timeline } from './timeline';
import type { BatchedInsert } from '../storage/batched-insert';

export interface IngestDeps {
  models: Models;
  inboxes: InboxDirectory;
  contacts: ContactDirectory;
  locks: ConversationLocks;
  /** Message inserts, shared with every concurrent ingest in the process (one command per batch). */
  messages: BatchedInsert<MessageDoc>;
  timeline: Timeline;
  sla: SlaEngine;
  router: Router;
  notifier: Notifier;
  classification: Pick<Classification, 'opened'>;
  outOfHours: Pick<OutOfHoursReplies, 'received'>;
  metrics: Metrics;
  logger: Logger;
  reopenWindowMs: number;
  maxMessageLength: number;
  /** Takes a message that answers a survey (an SMS digit) off the normal path; null for any other. */
  surveys?: { take(inbox: InboxDoc, contact: ContactDoc, msg: InboundMessage): Promise<Ingested | null> };
}

type Ingested = IngestResult & { message: MessageDoc; conversation: ConversationDoc };
type Stored = { duplicate: boolean; message: MessageDoc; conv: ConversationDoc };

export class Ingest {
  /** The conversation this process last saw open under each live key. */
  private readonly live = new Cached<string>(60_000, 20_000);

  constructor(private readonly d: IngestDeps) {}

  async ingest(msg: InboundMessage): Promise<Ingested> {
    if (!Types.ObjectId.isValid(msg.inboxId)) throw new NotFound('Inbox');
    if (!msg.dedupeKey || msg.dedupeKey.length > 512)
      throw new InvalidInput('A message needs a dedupe key of at most 512 characters.');
    if (msg.text.length > this.d.maxMessageLength)
      throw new InvalidInput(`Messages are limited to ${this.d.maxMessageLength} characters.`);
    const inbox = await this.d.inboxes.get(msg.inboxId);
    if (!inbox) throw new NotFound('Inbox');
    const contact = await this.d.contacts.resolve(msg.from, msg.profile);
    const created = takeCreated(contact);

    // A digit answering a satisfaction survey (SMS) is the survey's answer, not a new message.
    const answer = await this.d.surveys?.take(inbox, contact, msg);
    if (answer) return answer;
    const stored = created
      ? await this.intoFound(inbox, contact, msg, true)
      : ((await this.intoOpen(inbox, contact, msg)) ?? (await this.intoFound(inbox, contact, msg, false)));
    if (stored.duplicate) return this.duplicate(stored, inbox);
    this.d.metrics.messages.inc({ direction: 'in', channel: inbox.channel });
    return {
      duplicate: false,
      messageId: String(stored.message._id),
      conversationId: String(stored.conv._id),
      contactId: String(contact._id),
      message: stored.message,
      conversation: stored.conv,
    };
  }

  /** The fast path: the contact's conversation this process saw open, if it still is. */
  private async intoOpen(inbox: InboxDoc, contact: ContactDoc, msg: InboundMessage): Promise<Stored | null> {
    if (msg.conversationId || (msg.inReplyTo && msg.inReplyTo.length > 0)) return null;
    const liveKey = liveKeyOf({
      inboxId: inbox._id,
      contactId: contact._id,
      threadKey: msg.threadKey ?? null,
    });
    const convId = this.live.peek(liveKey);
    if (!convId) return null;
    const stored = await this.d.locks.run(convId, async () => {
      const conv = await this.d.models.Conversation.findById(convId).lean<ConversationDoc>();
      if (!conv || conv.liveKey !== liveKey || conv.status === 'resolved') return null;
      return this.store(inbox, contact, msg, { conv, change: 'none' });
    });
    if (!stored) this.live.delete(liveKey);
    else if (!stored.duplicate) this.after(stored.message, stored.conv, contact, false);
    return stored;
  }

  /**
   * The full path: find or open (or reopen) the conversation, then store. A contact created
   * just now has no messages or conversations to look for: theirs is opened straight away.
   */
  private async intoFound(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    created: boolean,
  ): Promise<Stored> {
    // Before anything opens or reopens, a message stored already is recognised as such.
    const already = created
      ? null
      : await this.d.models.Message.findOne({
          inboxId: inbox._id,
          dedupeKey: msg.dedupeKey,
        }).lean<MessageDoc>();
    if (already) return this.finishDuplicate(already);
    const found = created ? null : await findFor(this.d.models, inbox, contact, msg, this.d.reopenWindowMs);
    const stored = found
      ? await this.intoExisting(inbox, contact, msg, found)
      : await this.intoNew(inbox, contact, msg);
    if (stored.conv.status !== 'resolved') this.live.set(stored.conv.liveKey, String(stored.conv._id));
    if (!stored.duplicate) this.after(stored.message, stored.conv, contact, stored.change !== 'none');
    return stored;
  }

  /**
   * Opens the conversation under its lock, taken before it exists: a message that finds it
   * meanwhile waits until the first is stored and the conversation queued, so the opening
   * message needs no second read and the conversation enters the queue once.
   */
  private async intoNew(inbox: InboxDoc, contact: ContactDoc, msg: InboundMessage): Promise<Stored & Found> {
    const id = new Types.ObjectId();
    const opened = await this.d.locks.run(String(id), async () => {
      const found = await openFor(this.d.models, inbox, contact, msg, id);
      if (found.change !== 'opened') return { first: found };
      return { stored: { ...(await this.store(inbox, contact, msg, found)), change: found.change } };
    });
    // Another message of the contact's opened it first: this one joins it.
    return opened.stored ?? this.intoExisting(inbox, contact, msg, opened.first);
  }

  /** Stores the message in a conversation that exists, read again under its lock. */
  private async intoExisting(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    found: Found,
  ): Promise<Stored & Found> {
    const convId = String(found.conv._id);
    return this.d.locks.run(convId, async () => {
      const conv = await this.d.models.Conversation.findById(convId).lean<ConversationDoc>();
      if (!conv) throw new NotFound('Conversation');
      return {
        ...(await this.store(inbox, contact, msg, { conv, change: found.change })),
        change: found.change,
      };
    });
  }

  /** Stores the message in the conversation and tells the clocks. Under the conversation's lock. */
  private async store(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    found: Found,
  ): Promise<Stored> {
    const { models } = this.d;
    const conv = found.conv;
    const at = new Date();
    let message: MessageDoc;
    try {
      message = await this.d.messages.create({
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
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const dup = await models.Message.findOne({
        inboxId: inbox._id,
        dedupeKey: msg.dedupeKey,
      }).lean<MessageDoc>();
      if (!dup) throw err;
      return { duplicate: true, message: dup, conv: await this.finishOpening(conv, at) };
    }
    // Machine mail is owed no answer: it does not count as the customer's last word.
    const preview = previewOf('contact', msg.text, msg.attachments ?? []);
    const set: Partial<ConversationDoc> = msg.automated
      ? { lastMessageAt: at }
      : { lastMessageAt: at, lastCustomerMessageAt: at, ...(preview ? { preview } : {}) };
    if (msg.subject && !conv.subject) set.subject = msg.subject;
    // Everything the message changes in the conversation is one update and one batch of events.
    const w = this.d.timeline.write(conv).set(set);
    let next: ConversationDoc = { ...conv, ...set };
    const by = { type: 'contact' as const, id: contact._id };
    if (found.change !== 'none') {
      // Opened just now, or reopened by the message just stored: neither key can be taken.
      const type = found.change === 'opened' ? 'conversation.opened' : 'conversation.reopened';
      const key = found.change === 'opened' ? 'opened' : `reopened:${String(message._id)}`;
      w.recordOnce(type, key, by, { channel: inbox.channel, ...(msg.automated ? { automated: true } : {}) });
      // Classified before its clocks start, so they start with the category's targets.
      if (found.change === 'opened') next = await this.d.classification.opened(next, msg, w);
      if (next.status !== 'resolved') await this.d.sla.on(found.change, next, at, by, w);
    }
    if (next.status === 'queued' && !next.clocks?.pickup) {
      next = await this.d.router.enqueue(next, at, { teamId: next.teamId ?? inbox.teamId }, w);
    } else if (!msg.automated) {
      // Machine mail (auto-replies, bounces) is owed no answer.
      await this.d.sla.on('customer_message', next, at, by, w);
    }
    await w.commit();
    return { duplicate: false, message, conv: next };
  }

  /**
   * A message stored before, delivered again. If the process that stored it stopped before
   * the conversation entered the queue, the resend finishes that now (under the lock).
   */
  private async finishDuplicate(m: MessageDoc): Promise<Stored> {
    const id = String(m.conversationId);
    const conv = await this.d.locks.run(id, async () => {
      const c = await this.d.models.Conversation.findById(id).lean<ConversationDoc>();
      if (!c) throw new NotFound('Conversation');
      return this.finishOpening(c, new Date());
    });
    return { duplicate: true, message: m, conv };
  }

  private async finishOpening(conv: ConversationDoc, at: Date): Promise<ConversationDoc> {
    if (conv.status !== 'queued' || conv.clocks?.pickup) return conv;
    const inbox = await this.d.inboxes.get(String(conv.inboxId));
    if (await this.d.timeline.recordOnce(conv, 'conversation.opened', 'opened', { channel: conv.channel }))
      await this.d.sla.on('opened', conv, at);
    const next = await this.d.router.enqueue(conv, at, { teamId: conv.teamId ?? inbox?.teamId ?? null });
    this.d.router.dispatch();
    return next;
  }

  private duplicate(s: Stored, inbox: InboxDoc): Ingested {
    this.d.metrics.duplicates.inc({ channel: inbox.channel });
    return {
      duplicate: true,
      messageId: String(s.message._id),
      conversationId: String(s.message.conversationId),
      contactId: String(s.conv.contactId),
      message: s.message,
      conversation: s.conv,
    };
  }

  private after(
    message: MessageDoc,
    conv: ConversationDoc,
    contact: ContactDoc,
    statusChanged: boolean,
  ): void {
    this.d.notifier.messageStored(message, conv);
    this.d.notifier
      .conversationChanged(conv, {
        customer: statusChanged,
        queue: statusChanged,
        contactName: contact.name ?? contact.email ?? contact.phone ?? null,
      })
      .catch((err: unknown) =>
        this.d.logger.error({ err, conversationId: String(conv._id) }, 'notify failed'),
      );
    if (conv.status === 'queued' && statusChanged) this.d.router.dispatch();
    this.d.outOfHours.received(message, conv);
  }
}
