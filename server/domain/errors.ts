/**
 * Domain errors: typed, each with a stable code and a message a client can show.
 * The edges (HTTP, socket acks) map them once, in http/errors.ts and realtime/ack.ts.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Extra fields a client can act on (allowed types, a size limit), sent beside code and message. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInput extends DomainError {
  constructor(message: string) {
    super('invalid_input', message, 400);
  }
}
export class Unauthorized extends DomainError {
  constructor(message = 'Sign in first.') {
    super('unauthorized', message, 401);
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'You are not allowed to do that.') {
    super('forbidden', message, 403);
  }
}
export class NotFound extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`, 404);
  }
}
export class Conflict extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}
export class OfferNotFound extends Conflict {
  constructor() {
    super('offer_not_found', 'This conversation is not offered to you (any more).');
  }
}
export class OfferExpired extends Conflict {
  constructor() {
    super('offer_expired', 'The offer expired before it was accepted.');
  }
}
export class AgentAtCapacity extends Conflict {
  constructor() {
    super('agent_at_capacity', 'The agent has no free capacity for another conversation.');
  }
}
export class AlreadyAssigned extends Conflict {
  constructor() {
    super('already_assigned', 'Another agent already holds this conversation.');
  }
}
export class NotAssignedToYou extends Conflict {
  constructor() {
    super('not_assigned_to_you', 'This conversation is not assigned to you.');
  }
}
export class ConversationResolved extends Conflict {
  constructor() {
    super('conversation_resolved', 'The conversation is resolved; reopen it first.');
  }
}
export class ContactUnreachable extends Conflict {
  constructor(reason: string) {
    super('contact_unreachable', reason);
  }
}
export class Busy extends DomainError {
  constructor(message = 'The conversation is busy; try again.') {
    super('busy', message, 503);
  }
}
export class UnsupportedFileType extends DomainError {
  constructor(contentType: string, allowed: readonly string[]) {
    super('unsupported_type', `Files of type ${contentType || 'unknown'} cannot be sent here.`, 415, {
      allowed,
    });
  }
}
export class FileTooLarge extends DomainError {
  constructor(maxBytes: number) {
    super('too_large', `Files are limited to ${Math.floor(maxBytes / 1048576)} MB.`, 413, { maxBytes });
  }
}
/** More work in flight than this gateway takes on: answered at once, to be retried after `retryAfterMs`. */
export class Overloaded extends DomainError {
  constructor(retryAfterMs: number, message = 'The service is busy; try again shortly.') {
    super('busy', message, 503, { retryAfterMs });
  }
}
export class QuotaExceeded extends DomainError {
  constructor(message: string, retryAfterMs: number) {
    super('quota_exceeded', message, 429, { retryAfterMs });
  }
}
