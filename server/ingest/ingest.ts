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
 * classification, clocks, entering the queue — is gathered into one ConversationWrite; a
 * conversation the message opens is inserted with all of it, under a lock taken before
 * it exists.
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
import { draftFor, findFor, insertOpening, liveKeyOf, type Found } from './conversations';
import { takeCreated } from './contacts';
import { OpenedElsewhere, type ConversationWrite, type Timeline } from './timeline';
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
      const draft = await draftFor(this.d.models, inbox, contact, msg, id);
      try {
        return {
          stored: { ...(await this.storeOpening(inbox, contact, msg, draft)), change: 'opened' as const },
        };
      } catch (err) {
        if (!(err instanceof OpenedElsewhere)) throw err;
        const first = await this.d.models.Conversation.findOne({
          liveKey: draft.liveKey,
        }).lean<ConversationDoc>();
        if (!first) throw new Error('the live conversation that opened first is gone');
        return { first };
      }
    });
    // Another message of the contact's opened it first: this one joins it.
    return opened.stored ?? this.intoExisting(inbox, contact, msg, { conv: opened.first, change: 'none' });
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
    const at = new Date();
    const inserted = await this.insertMessage(inbox, contact, msg, found.conv, at);
    if ('duplicate' in inserted)
      return { duplicate: true, message: inserted.duplicate, conv: await this.finishOpening(found.conv, at) };
    const w = this.d.timeline.write(found.conv);
    const key = `reopened:${String(inserted.message._id)}`;
    const next = await this.changes(inbox, contact, msg, found, at, key, w);
    await w.commit();
    return { duplicate: false, message: inserted.message, conv: next };
  }

  /**
   * Opens the conversation `draft` describes with its first message, under its lock. The
   * conversation is inserted with everything the message changes in it (the insert decides,
   * by the unique live key, who opened it: OpenedElsewhere when another did), then its
   * events, then the message.
   */
  private async storeOpening(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    draft: ConversationDoc,
  ): Promise<Stored> {
    const at = new Date();
    let number = draft.number;
    const w = this.d.timeline.write(draft, async (fields) => {
      const created = await insertOpening(this.d.models, draft, fields);
      number = created?.number ?? number;
      return created !== null;
    });
    const next = await this.changes(inbox, contact, msg, { conv: draft, change: 'opened' }, at, 'opened', w);
    await w.flush();
    next.number = number;
    const inserted = await this.insertMessage(inbox, contact, msg, next, at);
    await w.commit();
    if ('duplicate' in inserted) return { duplicate: true, message: inserted.duplicate, conv: next };
    return { duplicate: false, message: inserted.message, conv: next };
  }

  private async insertMessage(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    conv: ConversationDoc,
    at: Date,
  ): Promise<{ message: MessageDoc } | { duplicate: MessageDoc }> {
    try {
      return {
        message: await this.d.messages.create({
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
        }),
      };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const dup = await this.d.models.Message.findOne({
        inboxId: inbox._id,
        dedupeKey: msg.dedupeKey,
      }).lean<MessageDoc>();
      if (!dup) throw err;
      return { duplicate: dup };
    }
  }

  /**
   * What the message changes in the conversation — opening or reopening, classification,
   * clocks, entering the queue — gathered into `w`; returns the conversation as it will be.
   */
  private async changes(
    inbox: InboxDoc,
    contact: ContactDoc,
    msg: InboundMessage,
    found: Found,
    at: Date,
    reopenKey: string,
    w: ConversationWrite,
  ): Promise<ConversationDoc> {
    const conv = found.conv;
    // Machine mail is owed no answer: it does not count as the customer's last word.
    const preview = previewOf('contact', msg.text, msg.attachments ?? []);
    const set: Partial<ConversationDoc> = msg.automated
      ? { lastMessageAt: at }
      : { lastMessageAt: at, lastCustomerMessageAt: at, ...(preview ? { preview } : {}) };
    if (msg.subject && !conv.subject) set.subject = msg.subject;
    w.set(set);
    let next: ConversationDoc = { ...conv, ...set };
    const by = { type: 'contact' as const, id: contact._id };
    if (found.change !== 'none') {
      // Opened just now, or reopened by the message just stored: neither key can be taken.
      const type = found.change === 'opened' ? 'conversation.opened' : 'conversation.reopened';
      const key = found.change === 'opened' ? 'opened' : reopenKey;
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
    return next;
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
