/** Timeline: appends ConversationEvents; once-only events are keyed so a retry or a second process cannot repeat them. */
import { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import type { EventType } from '../domain/event';
import { isDuplicateKey, type Models } from '../domain/models';

export interface Actor {
  type: 'agent' | 'contact' | 'system';
  id: string | Types.ObjectId | null;
}

type ConvRef = Pick<ConversationDoc, '_id' | 'inboxId'>;

/** Told after an event is stored (reactions such as a survey after a resolution); must not throw. */
export type TimelineListener = (
  conv: ConvRef,
  type: EventType,
  actor: Actor,
  data: Record<string, unknown>,
) => void;

export class Timeline {
  private readonly listeners: TimelineListener[] = [];

  constructor(private readonly models: Models) {}

  listen(fn: TimelineListener): void {
    this.listeners.push(fn);
  }

  async record(
    conv: ConvRef,
    type: EventType,
    actor: Actor,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.insert(conv, type, actor, data, new Types.ObjectId().toHexString());
  }

  /** Records the event unless one with this key exists; true when this call recorded it. */
  async recordOnce(
    conv: ConvRef,
    type: EventType,
    key: string,
    data: Record<string, unknown> = {},
    actor: Actor = { type: 'system', id: null },
  ): Promise<boolean> {
    try {
      await this.insert(conv, type, actor, data, key);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  private async insert(
    conv: ConvRef,
    type: EventType,
    actor: Actor,
    data: Record<string, unknown>,
    key: string,
  ) {
    await this.models.ConversationEvent.create({
      conversationId: conv._id,
      inboxId: conv.inboxId,
      type,
      actor: { type: actor.type, id: actor.id ? new Types.ObjectId(String(actor.id)) : null },
      data,
      key,
      at: new Date(),
    });
    for (const fn of this.listeners) fn(conv, type, actor, data);
  }
}
