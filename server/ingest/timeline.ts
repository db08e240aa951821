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

export interface PendingEvent {
  type: EventType;
  actor: Actor;
  data: Record<string, unknown>;
  /** A once-only event's key (see recordOnce); others get a key of their own. */
  key?: string;
}

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

  /**
   * A write of the conversation that records its events with this timeline (see
   * ConversationWrite). For a conversation not stored yet, `insert` stores it with the
   * fields gathered, on the first flush, and is false when it could not (OpenedElsewhere).
   */
  write(conv: ConvRef, insert?: (fields: Record<string, unknown>) => Promise<boolean>): ConversationWrite {
    return new ConversationWrite(this.models, this, conv, insert ?? null);
  }

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

  /** Appends events in one round trip, in order (see ConversationWrite). */
  async recordAll(conv: ConvRef, events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const at = new Date();
    await this.models.ConversationEvent.insertMany(
      events.map((e) =>
        this.doc(conv, e.type, e.actor, e.data, e.key ?? new Types.ObjectId().toHexString(), at),
      ),
      { ordered: true },
    );
    for (const e of events) for (const fn of this.listeners) fn(conv, e.type, e.actor, e.data);
  }

  private doc(
    conv: ConvRef,
    type: EventType,
    actor: Actor,
    data: Record<string, unknown>,
    key: string,
    at: Date,
  ) {
    return {
      conversationId: conv._id,
      inboxId: conv.inboxId,
      type,
      actor: { type: actor.type, id: actor.id ? new Types.ObjectId(String(actor.id)) : null },
      data,
      key,
      at,
    };
  }

  private async insert(
    conv: ConvRef,
    type: EventType,
    actor: Actor,
    data: Record<string, unknown>,
    key: string,
  ) {
    await this.models.ConversationEvent.create(this.doc(conv, type, actor, data, key, new Date()));
    for (const fn of this.listeners) fn(conv, type, actor, data);
  }
}

/** The conversation a write was to insert was opened by another operation first: nothing was stored. */
export class OpenedElsewhere extends Error {
  constructor() {
    super('another conversation took the live key first');
  }
}

/**
 * The changes one operation makes to a conversation, gathered from the services it passes
 * through (intake, classification, routing, the clocks) and stored in two round trips: one
 * update of the conversation (or, for one not stored yet, its insert), then its timeline
 * events in order. Work that needs the stored state (timers, notifications) runs after
 * the commit.
 */
export class ConversationWrite {
  private readonly fields: Record<string, unknown> = {};
  private readonly events: PendingEvent[] = [];
  private readonly afterCommit: (() => Promise<void>)[] = [];

  constructor(
    private readonly models: Models,
    private readonly timeline: Timeline,
    readonly conv: ConvRef,
    private insert: ((fields: Record<string, unknown>) => Promise<boolean>) | null = null,
  ) {}

  set(fields: Record<string, unknown>): this {
    Object.assign(this.fields, fields);
    return this;
  }

  record(type: EventType, actor: Actor, data: Record<string, unknown> = {}): this {
    this.events.push({ type, actor, data });
    return this;
  }

  /**
   * A once-only event, for a conversation whose key cannot have been used yet (one this
   * operation opened, or a key naming a message it just stored); otherwise use
   * Timeline.recordOnce, which tells whether it recorded.
   */
  recordOnce(type: EventType, key: string, actor: Actor, data: Record<string, unknown> = {}): this {
    this.events.push({ type, actor, data, key });
    return this;
  }

  then(fn: () => Promise<void>): this {
    this.afterCommit.push(fn);
    return this;
  }

  /** Stores what is gathered so far, ahead of a step that writes on its own; the after-commit work waits for commit. */
  async flush(): Promise<void> {
    const fields = { ...this.fields };
    for (const k of Object.keys(fields)) delete this.fields[k];
    const events = this.events.splice(0);
    const insert = this.insert;
    this.insert = null;
    if (insert) {
      if (!(await insert(fields))) throw new OpenedElsewhere();
    } else if (Object.keys(fields).length > 0)
      await this.models.Conversation.updateOne({ _id: this.conv._id }, { $set: fields });
    await this.timeline.recordAll(this.conv, events);
  }

  async commit(): Promise<void> {
    await this.flush();
    for (const fn of this.afterCommit.splice(0)) await fn();
  }
}
