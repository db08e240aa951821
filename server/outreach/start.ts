/**
 * Agent-started conversations: an agent writes first to a contact on an inbox — email,
 * SMS, Telegram, or web chat while the visitor is connected. Refused, with a reason a
 * client can show, when the contact cannot be reached there or already has a live
 * conversation on the inbox. The new conversation is the agent's (seat claimed) and its
 * first message leaves through the inbox's outbound queue like any reply.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Server } from 'socket.io';
import type { AgentDoc } from '../domain/agent';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, DomainError, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { ChannelKind } from '../domain/types';
import { linkIdentity } from '../ingest/contacts';
import { createNumbered, liveKeyOf } from '../ingest/conversations';
import type { Timeline } from '../ingest/timeline';
import type { Replies } from '../messaging/replies';
import type { Notifier } from '../realtime/notifier';
import { WEBCHAT_NS, rooms } from '../realtime/rooms';
import type { Router } from '../routing/router';
import type { Seats } from '../routing/seats';
import type { SlaEngine } from '../sla/engine';
import { inTeams, scopeOf } from '../access/rules';

export interface StartRequest {
  contactId: string;
  inboxId: string;
  text: string;
  subject?: string;
  clientId?: string;
}

export interface OutreachDeps {
  models: Models;
  locks: ConversationLocks;
  seats: Seats;
  router: Pick<Router, 'announceLoad'>;
  sla: Pick<SlaEngine, 'on'>;
  replies: Pick<Replies, 'send'>;
  timeline: Timeline;
  notifier: Notifier;
  io: Server;
}

/** The contact cannot be written to on this inbox: 422 for what is missing, 409 for what is in the way. */
export class CannotStart extends DomainError {}

const ADDRESS: Record<ChannelKind, string> = {
  email: 'an email address',
  sms: 'a phone number',
  telegram: 'a Telegram chat with the bot (they must write to it first)',
  webchat: 'a web chat session',
};

export class Outreach {
  constructor(private readonly d: OutreachDeps) {}

  async start(agent: AgentDoc, r: StartRequest): Promise<ConversationDoc> {
    const { models } = this.d;
    const inbox = Types.ObjectId.isValid(r.inboxId)
      ? await models.Inbox.findById(r.inboxId).lean<InboxDoc>()
      : null;
    // One writes from the inboxes of one's teams (the conversation will be theirs).
    if (!inbox || !inbox.enabled || !inTeams(scopeOf(agent), inbox.teamId)) throw new NotFound('Inbox');
    const contact = Types.ObjectId.isValid(r.contactId)
      ? await models.Contact.findById(r.contactId).lean<ContactDoc>()
      : null;
    if (!contact) throw new NotFound('Contact');
    const subject = r.subject?.trim() || null;
    if (inbox.channel === 'email' && !subject)
      throw new CannotStart('subject_required', 'An email needs a subject.', 422);
    const address = await this.reachable(inbox, contact);
    // The customer's answer must find this contact: their profile address becomes an identity.
    if (!contact.identities.some((i) => i.channel === inbox.channel))
      await linkIdentity(models, contact._id, { channel: inbox.channel, address });
    const live = await models.Conversation.findOne(
      { inboxId: inbox._id, contactId: contact._id, status: { $ne: 'resolved' } },
      { _id: 1 },
    ).lean();
    if (live) throw alreadyOpen(String(live._id));

    const _id = new Types.ObjectId();
    const at = new Date();
    await this.d.seats.claim(agent._id, agent.capacity, _id, 'active');
    const liveKey = liveKeyOf({ inboxId: inbox._id, contactId: contact._id, threadKey: null });
    let conv: ConversationDoc | null;
    try {
      conv = await createNumbered(models, {
        _id,
        inboxId: inbox._id,
        contactId: contact._id,
        channel: inbox.channel,
        status: 'assigned',
        liveKey,
        subject,
        assigneeId: agent._id,
        assignedAt: at,
        teamId: inbox.teamId,
        priority: contact.vip ? 2 : 1,
        vip: contact.vip,
        lastMessageAt: at,
      });
    } catch (err) {
      await this.d.seats.release(_id);
      throw err;
    }
    if (!conv) {
      await this.d.seats.release(_id);
      const winner = await models.Conversation.findOne({ liveKey }, { _id: 1 }).lean();
      throw alreadyOpen(winner ? String(winner._id) : null);
    }
    const actor = { type: 'agent' as const, id: agent._id };
    const opened = conv;
    await this.d.locks.run(String(_id), async () => {
      await this.d.timeline.record(opened, 'conversation.started_by_agent', actor, {
        channel: inbox.channel,
        subject,
      });
      await this.d.sla.on('opened', opened, at, actor);
    });
    await this.d.replies.send(agent, {
      conversationId: String(_id),
      clientId: r.clientId ?? randomUUID(),
      text: r.text,
    });
    await this.d.router.announceLoad(agent._id);
    const now = await models.Conversation.findById(_id).lean<ConversationDoc>();
    return now ?? opened;
  }

  /** Refuses a contact the channel cannot reach: no identity, opted out, bot blocked, no live session. */
  private async reachable(inbox: InboxDoc, contact: ContactDoc): Promise<string> {
    const channel = inbox.channel;
    const identity = contact.identities.find((i) => i.channel === channel)?.address ?? null;
    const address =
      identity ?? (channel === 'email' ? contact.email : channel === 'sms' ? contact.phone : null);
    if (!address || (channel === 'telegram' && !/^\d+$/.test(address)))
      throw new CannotStart('no_identity', `The customer has no ${ADDRESS[channel]} to write to.`, 422);
    const reach = contact.reachability?.[channel];
    if (reach && !reach.reachable) {
      if (channel === 'sms')
        throw new CannotStart('opted_out', 'The customer opted out of text messages (STOP).', 409);
      if (channel === 'telegram')
        throw new CannotStart('bot_blocked', 'The customer blocked the Telegram bot.', 409);
      throw new CannotStart(
        'unreachable',
        `The customer cannot be reached on ${channel}: ${reach.reason ?? 'unreachable'}.`,
        409,
      );
    }
    if (channel === 'webchat') {
      const sockets = await this.d.io.of(WEBCHAT_NS).in(rooms.visitor(address)).fetchSockets();
      const here = sockets.some((s) => (s.data as { inboxId?: unknown }).inboxId === String(inbox._id));
      if (!here)
        throw new CannotStart('no_live_session', 'The visitor is not on the website chat right now.', 409);
    }
    return address;
  }
}

function alreadyOpen(conversationId: string | null): Conflict {
  const err = new Conflict('already_open', 'The customer already has a live conversation on this inbox.');
  Object.assign(err.details, { conversationId });
  return err;
}
