/**
 * What resolving a conversation asks of other capabilities (complaints refuse to close
 * early; follow-up rules act on a resolution), so the router names none of them.
 */
import type { ConversationDoc } from '../domain/conversation';

export interface ResolutionHooks {
  /** Under the conversation's lock, before anything changes; throws a DomainError to refuse. */
  before(conv: ConversationDoc): Promise<void>;
  /** After the conversation is resolved and announced (not called when it already was). */
  after(conv: ConversationDoc): Promise<void>;
}
