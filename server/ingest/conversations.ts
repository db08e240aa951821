/**
 * Finds the conversation an inbound message belongs to — a named conversation (reply
 * token), a thread it answers, the contact's live conversation on the inbox, a recently
 * resolved one (reopened) — or opens a new one. Opening is atomic through the unique live
 * key, so two messages arriving at once from one sender open one conversation.
 */
import { Types } from 'mongoose';
import type { InboundMessage } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import { nextNumber, raiseTo } from '../domain/counter';
import { isDuplicateKey, type Models } from '../domain/models';

export type Found = { conv: ConversationDoc; change: 'none' | 'opened' | 'reopened' };

export const liveKeyOf = (c: Pick<ConversationDoc, 'inboxId' | 'contactId' | 'threadKey'>) =>
  `${String(c.inboxId)}:${String(c.contactId)}${c.threadKey ? `:${c.threadKey}` : ''}`;

/** The conversation the message joins (or reopens); null when a new one is to be opened. */
export async function findFor(
  models: Models,
  inbox: InboxDoc,
  contact: ContactDoc,
  msg: InboundMessage,
  reopenWindowMs: number,
): Promise<Found | null> {
  const mine = { inboxId: inbox._id, contactId: contact._id };
  if (msg.conversationId && Types.ObjectId.isValid(msg.conversationId)) {
    const named = await models.Conversation.findOne({
      _id: msg.conversationId,
      ...mine,
    }).lean<ConversationDoc>();
    if (named) return reopenIfResolved(models, named, msg.automated);
  }
  if (msg.inReplyTo && msg.inReplyTo.length > 0) {
    const threaded = await models.Conversation.findOne({
      inboxId: inbox._id,
      threadKey: { $in: msg.inReplyTo },
    })
      .sort({ createdAt: -1 })
      .lean<ConversationDoc>();
    if (threaded && String(threaded.contactId) === String(contact._id))
      return reopenIfResolved(models, threaded, msg.automated);
  }
  const threadKey = msg.threadKey ?? null;
  const liveKey = liveKeyOf({ ...mine, threadKey });
  const live = await models.Conversation.findOne({ liveKey }).lean<ConversationDoc>();
  if (live) return { conv: live, change: 'none' };
  if (!threadKey) {
    const recent = await models.Conversation.findOne({
      ...mine,
      status: 'resolved',
      resolvedAt: { $gte: new Date(Date.now() - reopenWindowMs) },
    })
      .sort({ resolvedAt: -1 })
      .lean<ConversationDoc>();
    if (recent) return reopenIfResolved(models, recent, msg.automated);
  }
  return null;
}

/**
 * The conversation the message would open, with id `_id` and its number, not stored yet
 * (see insertOpening).
 */
export async function draftFor(
  models: Models,
  inbox: InboxDoc,
  contact: ContactDoc,
  msg: InboundMessage,
  _id: Types.ObjectId,
): Promise<ConversationDoc> {
  const threadKey = msg.threadKey ?? null;
  const liveKey = liveKeyOf({ inboxId: inbox._id, contactId: contact._id, threadKey });
  const now = new Date();
  // Machine mail that answers nothing of ours (a newsletter, an unmatched bounce) is filed:
  // kept and searchable, but never queued or timed.
  const filed = msg.automated
    ? { status: 'resolved' as const, resolvedAt: now, liveKey: `closed:${String(_id)}` }
    : { status: 'queued' as const, liveKey };
  const draft = new models.Conversation({
    _id,
    inboxId: inbox._id,
    contactId: contact._id,
    channel: inbox.channel,
    ...filed,
    threadKey,
    subject: msg.subject ?? null,
    teamId: inbox.teamId,
    priority: contact.vip ? 2 : 1,
    vip: contact.vip,
    queuedAt: now,
    lastMessageAt: now,
    createdAt: now,
    updatedAt: now,
    number: await nextNumber(models.Counter, CONVERSATION_NUMBERS),
  });
  return draft.toObject() as ConversationDoc;
}

/**
 * Stores the drafted conversation with `fields` (paths as in `$set`, which the model's
 * constructor applies) on top; null when its live key is taken (another conversation of
 * the contact's on the inbox opened first).
 */
export function insertOpening(
  models: Models,
  draft: ConversationDoc,
  fields: Record<string, unknown>,
): Promise<ConversationDoc | null> {
  return createNumbered(models, { ...draft, ...fields });
}

export const CONVERSATION_NUMBERS = 'conversation-number';

/** Conversation numbers continue above the highest stored (run at start, before any is opened). */
export async function continueNumbering(models: Models): Promise<void> {
  const last = await models.Conversation.findOne({}, { number: 1 }).sort({ number: -1 }).lean();
  await raiseTo(models.Counter, CONVERSATION_NUMBERS, last?.number ?? 0);
}

/**
 * Creates a conversation with its number (or the next free one, and the next after that
 * if it is taken); null when its live key is taken (another conversation for the contact
 * on the inbox opened first).
 */
export async function createNumbered(
  models: Models,
  fields: Partial<ConversationDoc> & Pick<ConversationDoc, 'liveKey'>,
): Promise<ConversationDoc | null> {
  let number = fields.number;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      number ??= await nextNumber(models.Counter, CONVERSATION_NUMBERS);
      const created = await models.Conversation.create({ ...fields, number });
      return created.toObject();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await models.Conversation.exists({ liveKey: fields.liveKey })) return null;
      // The number was taken (given before the counter continued above it): take the next.
      number = undefined;
    }
  }
  throw new Error('could not allocate a conversation number');
}

async function reopenIfResolved(models: Models, conv: ConversationDoc, automated = false): Promise<Found> {
  // Machine mail (an auto-reply to our answer) is filed on the thread without reopening it.
  if (conv.status !== 'resolved' || automated) return { conv, change: 'none' };
  const liveKey = liveKeyOf(conv);
  try {
    await models.Conversation.updateOne(
      { _id: conv._id },
      { $set: { liveKey, resolvedAt: null, status: 'queued' } },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await models.Conversation.findOne({ liveKey }).lean<ConversationDoc>();
    if (winner) return { conv: winner, change: 'none' };
    throw err;
  }
  return { conv: { ...conv, liveKey, resolvedAt: null, status: 'queued' }, change: 'reopened' };
}
