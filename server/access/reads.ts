/** Reads a conversation or contact for someone and lets it through only if the access rules do. */
import { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import { NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { assertHandles, assertSees, conversationFilter, seesEverything, type Scope } from './rules';

async function read(models: Models, id: unknown): Promise<ConversationDoc | null> {
  if (typeof id !== 'string' || !Types.ObjectId.isValid(id)) throw new NotFound('Conversation');
  return models.Conversation.findById(id).lean<ConversationDoc>();
}

/** For reading (history, events, typing indicators of the other side): 404 when out of scope. */
export async function visibleConversation(models: Models, s: Scope, id: unknown): Promise<ConversationDoc> {
  return assertSees(s, await read(models, id));
}

/** For acting outside a conversation lock (typing, read receipts): 404 out of scope, 409 when someone else holds it. */
export async function handledConversation(models: Models, s: Scope, id: unknown): Promise<ConversationDoc> {
  return assertHandles(s, await read(models, id));
}

/** A contact is seen by whoever sees one of its conversations (admins: every contact). */
export async function assertSeesContact(models: Models, s: Scope, contactId: string): Promise<void> {
  if (seesEverything(s)) return;
  const seen = Types.ObjectId.isValid(contactId)
    ? await models.Conversation.exists({ contactId, ...conversationFilter(s) })
    : null;
  if (!seen) throw new NotFound('Contact');
}
