/**
 * Router: the queue (priority, then first come), offers to one agent at a time with an
 * accept timeout, manual take, transfer, resolve, reopen and return to the queue.
 * Assignment goes through Seats, whose unique indexes keep every process honest; state
 * transitions of a conversation run under its lock.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import {
  AgentAtCapacity,
  AlreadyAssigned,
  ConversationResolved,
  Conflict,
  InvalidInput,
  NotAssignedToYou,
  NotFound,
  OfferExpired,
  OfferNotFound,
} from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import { assertHandles, assertSees, type Scope } from '../access/rules';
import { isDuplicateKey, type Models } from '../domain/models';
import type { ConversationWrite, Timeline } from '../ingest/timeline';
import type { Metrics } from '../observability/metrics';
import type { RoutingTimers } from '../queues/delayed';
import type { Notifier } from '../realtime/notifier';
import type { SlaEngine } from '../sla/engine';
import type { Candidates } from './candidates';
import type { ResolutionHooks } from './resolution';
import type { Seats } from './seats';

type Cfg = Config['routing'];

export class Router {
  private dispatching = false;
  private again = false;
  /** Set by the composition root: other capabilities' say on resolving. */
  resolution: ResolutionHooks | null = null;

  constructor(
    private readonly models: Models,
    private readonly locks: ConversationLocks,
    private readonly seats: Seats,
    private readonly sla: SlaEngine,
    private readonly timeline: Timeline,
    private readonly notifier: Notifier,
    private readonly timers: RoutingTimers,
    private readonly candidates: Candidates,
    private readonly metrics: Metrics,
    private readonly cfg: Cfg,
    private readonly logger: Logger,
  ) {}

  private async load(conversationId: string | Types.ObjectId): Promise<ConversationDoc> {
    if (!Types.ObjectId.isValid(String(conversationId))) throw new NotFound('Conversation');
    const conv = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv) throw new NotFound('Conversation');
    return conv;
  }

  private async agent(agentId: string | Types.ObjectId): Promise<AgentDoc> {
    if (!Types.ObjectId.isValid(String(agentId))) throw new NotFound('Agent');
    const a = await this.models.Agent.findById(agentId).lean<AgentDoc>();
    if (!a || !a.active) throw new NotFound('Agent');
    return a;
  }

  /** Puts a conversation (new, reopened or returned) in the queue and starts its pickup clock. Under its lock. */
  async enqueue(
    conv: ConversationDoc,
    at: Date,
    patch: Partial<ConversationDoc> = {},
    write?: ConversationWrite,
  ): Promise<ConversationDoc> {
    const set = {
      status: 'queued' as const,
      assigneeId: null,
      assignedAt: null,
      queuedAt: at,
      offerSkips: [],
      lastOfferEndedAt: null,
      ...patch,
    };
    const w = (write ?? this.timeline.write(conv)).set(set);
    const next = { ...conv, ...set };
    const system = { type: 'system' as const, id: null };
    if (String(next.teamId) !== String(conv.teamId)) await this.sla.on('team_changed', next, at, system, w);
    await this.sla.on('queued', next, at, system, w);
    w.record('conversation.queued', system, { teamId: next.teamId });
    if (!write) await w.commit();
    return next;
  }

  /** Offers queued conversations to free agents. Coalesced: concurrent calls cause one more pass. */
  dispatch(): void {
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = true;
    const run = async () => {
      do {
        this.again = false;
        await this.dispatchOnce();
      } while (this.again);
    };
    run()
      .catch((err: unknown) => this.logger.error({ err }, 'dispatch failed'))
      .finally(() => {
        this.dispatching = false;
      });
  }

  async dispatchOnce(): Promise<number> {
    // The queue is read only when someone could be offered from it.
    const agents = await this.candidates.online();
    if (agents.length === 0) return 0;
    // A conversation enters the queue once its pickup clock runs (ingest starts it under the lock).
    const queued = await this.models.Conversation.find({ status: 'queued', 'clocks.pickup': { $ne: null } })
      .sort({ priority: -1, queuedAt: 1 })
      .limit(200)
      .lean<ConversationDoc[]>();
    if (queued.length === 0) return 0;
    const held = await this.seats.held(queued.map((c) => c._id));
    const loads = await this.seats.loads(agents.map((a) => a._id));
    const free = queued.filter((c) => !held.has(String(c._id)));
    const choose = await this.candidates.chooser(free, loads, new Date());
    // The pass chooses for every conversation first, counting each choice as a seat taken,
    // then offers: each agent's offers one after another (their seats are slots of one
    // agent), different agents' at once, so a burst reaches the agents in one round.
    const plan = new Map<string, ConversationDoc[]>();
    for (const conv of free) {
      const agent = await choose(conv, agents);
      if (!agent) continue;
      const id = String(agent._id);
      loads.set(id, (loads.get(id) ?? 0) + 1);
      agent.lastOfferedAt = new Date();
      plan.set(id, [...(plan.get(id) ?? []), conv]);
    }
    const byId = new Map(agents.map((a) => [String(a._id), a]));
    const made = await Promise.all(
      [...plan].map(async ([id, convs]) => {
        let n = 0;
        for (const conv of convs) if (await this.offer(conv, byId.get(id)!)) n++;
        return n;
      }),
    );
    return made.reduce((a, b) => a + b, 0);
  }

  private async offer(conv: ConversationDoc, agent: AgentDoc): Promise<boolean> {
    const expiresAt = new Date(Date.now() + this.cfg.offerTimeoutMs);
    // A dispatch pass chose from its own read: under the lock, the conversation must still be
    // waiting with no offer ended since that read (a decline or an expiry frees the seat, and
    // the next pass chooses again). An agent the read already showed as having let it pass
    // may be chosen again: that is a new round, once everyone eligible has let it pass.
    const claimed = await this.locks.run(String(conv._id), async () => {
      const now = await this.models.Conversation.findById(conv._id, {
        status: 1,
        lastOfferEndedAt: 1,
      }).lean<Pick<ConversationDoc, 'status' | 'lastOfferEndedAt'>>();
      const endedSince = now?.lastOfferEndedAt?.getTime() !== conv.lastOfferEndedAt?.getTime();
      if (now?.status !== 'queued' || endedSince) return null;
      try {
        return await this.seats.claim(agent._id, agent.capacity, conv._id, 'offered', expiresAt);
      } catch (err) {
        if (err instanceof AgentAtCapacity || err instanceof AlreadyAssigned) return null;
        throw err;
      }
    });
    if (!claimed) return false;
    await this.models.Agent.updateOne({ _id: agent._id }, { $set: { lastOfferedAt: new Date() } });
    this.metrics.offers.inc({ outcome: 'made' });
    await this.timeline.record(
      conv,
      'conversation.offered',
      { type: 'system', id: null },
      { agentId: String(agent._id), expiresAt },
    );
    await this.timers.schedule(
      { type: 'offer-expiry', conversationId: String(conv._id), agentId: String(agent._id) },
      expiresAt,
      `offer:${String(conv._id)}:${expiresAt.getTime()}`,
    );
    await this.notifier.offer(String(agent._id), conv, expiresAt);
    await this.announceLoad(agent._id, agent, claimed.load);
    return true;
  }

  async accept(by: Scope, conversationId: string): Promise<ConversationDoc> {
    const { agentId } = by;
    const conv = await this.locks.run(conversationId, async () => {
      const c = assertSees(by, await this.load(conversationId));
      const seat = await this.seats.of(c._id);
      if (!seat || String(seat.agentId) !== agentId || seat.state !== 'offered') throw new OfferNotFound();
      if (!seat.expiresAt || seat.expiresAt.getTime() <= Date.now()) throw new OfferExpired();
      await this.seats.activate(seat);
      this.metrics.offers.inc({ outcome: 'accepted' });
      return this.pickedUp(c, agentId, 'conversation.accepted');
    });
    await this.announce(conv, true);
    return conv;
  }

  /** Common end of accept, take and a first reply from the queue: assigned, pickup stopped, reply clock if owed. */
  private async pickedUp(
    c: ConversationDoc,
    agentId: string,
    event: 'conversation.accepted' | 'conversation.taken',
  ) {
    const now = new Date();
    const set = { status: 'assigned' as const, assigneeId: new Types.ObjectId(agentId), assignedAt: now };
    const next: ConversationDoc = { ...c, ...set };
    const actor = { type: 'agent' as const, id: agentId };
    const write = this.timeline.write(next).set(set).record(event, actor);
    await this.sla.on('picked_up', next, now, actor, write);
    await write.commit();
    return next;
  }

  async decline(agentId: string, conversationId: string): Promise<void> {
    await this.releaseOffer(conversationId, agentId, 'conversation.offer_declined', false);
    this.metrics.offers.inc({ outcome: 'declined' });
  }

  /** Offer timeout: the seat goes, the agent is skipped for this queue entry, the next agent is tried. */
  async expireOffer(conversationId: string, agentId: string): Promise<void> {
    if (await this.releaseOffer(conversationId, agentId, 'conversation.offer_expired', true)) {
      this.metrics.offers.inc({ outcome: 'expired' });
    }
  }

  private async releaseOffer(
    conversationId: string,
    agentId: string,
    event: 'conversation.offer_declined' | 'conversation.offer_expired',
    onlyIfDue: boolean,
  ) {
    const released = await this.locks.run(conversationId, async () => {
      const c = await this.load(conversationId);
      const seat = await this.seats.of(c._id);
      if (!seat || seat.state !== 'offered' || String(seat.agentId) !== agentId) {
        if (onlyIfDue) return false;
        throw new OfferNotFound();
      }
      if (onlyIfDue && seat.expiresAt && seat.expiresAt.getTime() > Date.now()) return false;
      await this.models.Assignment.deleteOne({ _id: seat._id });
      await this.models.Conversation.updateOne(
        { _id: c._id },
        { $addToSet: { offerSkips: new Types.ObjectId(agentId) }, $set: { lastOfferEndedAt: new Date() } },
      );
      await this.timeline.record(c, event, { type: onlyIfDue ? 'system' : 'agent', id: agentId });
      return true;
    });
    if (released) {
      if (onlyIfDue) this.notifier.offerRevoked(agentId, conversationId, 'expired');
      await this.announceLoad(new Types.ObjectId(agentId));
      this.dispatch();
    }
    return released;
  }

  /** Sweep for offers whose expiry job was lost or late. */
  async expireDueOffers(now = new Date()): Promise<void> {
    const due = await this.models.Assignment.find({ state: 'offered', expiresAt: { $lte: now } })
      .limit(100)
      .lean();
    for (const s of due) await this.expireOffer(String(s.conversationId), String(s.agentId));
  }

  /** An agent takes a queued conversation (or one offered to someone else) directly. */
  async take(by: Scope, conversationId: string): Promise<ConversationDoc> {
    const { agentId } = by;
    const agent = await this.agent(agentId);
    let revoked: string | null = null;
    let leftQueue = false;
    let load: number | undefined;
    const conv = await this.locks.run(conversationId, async () => {
      const c = assertSees(by, await this.load(conversationId));
      if (c.status === 'resolved') throw new ConversationResolved();
      const { seat, used } = await this.seats.around(c._id, agent._id);
      if (seat?.state === 'active' || c.status === 'assigned') {
        if (seat && String(seat.agentId) === agentId) return c;
        throw new AlreadyAssigned();
      }
      if (seat) {
        await this.models.Assignment.deleteOne({ _id: seat._id });
        if (String(seat.agentId) !== agentId) revoked = String(seat.agentId);
      }
      ({ load } = await this.seats.claim(agent._id, agent.capacity, c._id, 'active', null, used));
      leftQueue = true;
      return this.pickedUp(c, agentId, 'conversation.taken');
    });
    if (revoked) {
      this.notifier.offerRevoked(revoked, conversationId, 'taken');
      await this.announceLoad(new Types.ObjectId(revoked));
    }
    await this.announceLoad(agent._id, agent, load);
    await this.announce(conv, leftQueue, agent.name);
    return conv;
  }

  async transfer(
    by: Scope,
    conversationId: string,
    to: { agentId?: string; teamId?: string; note?: string },
  ): Promise<ConversationDoc> {
    if (!to.agentId === !to.teamId)
      throw new InvalidInput('Transfer to exactly one of toAgentId or toTeamId.');
    const target = to.agentId ? await this.agent(to.agentId) : null;
    if (
      to.teamId &&
      !(Types.ObjectId.isValid(to.teamId) && (await this.models.Team.exists({ _id: to.teamId })))
    ) {
      throw new NotFound('Team');
    }
    let from: string | null = null;
    let offeredTo: string | null = null;
    let leftQueue = false;
    const byAgentId = by.agentId;
    const conv = await this.locks.run(conversationId, async () => {
      const c = assertSees(by, await this.load(conversationId));
      if (c.status === 'resolved') throw new ConversationResolved();
      from = c.assigneeId ? String(c.assigneeId) : null;
      // An agent hands over what they hold; supervisors (of its team) and admins move anything they see.
      if (from !== byAgentId && by.role === 'agent') throw new NotAssignedToYou();
      const now = new Date();
      const data = {
        from,
        toAgentId: to.agentId ?? null,
        toTeamId: to.teamId ?? null,
        note: to.note ?? null,
      };
      if (target) {
        const old = await this.seats.release(c._id);
        if (old?.state === 'offered' && !old.agentId.equals(target._id)) offeredTo = String(old.agentId);
        try {
          await this.seats.claim(target._id, target.capacity, c._id, 'active');
        } catch (err) {
          if (old) await this.seats.restore(old);
          throw err;
        }
        const set = { status: 'assigned' as const, assigneeId: target._id, assignedAt: now };
        await this.models.Conversation.updateOne({ _id: c._id }, { $set: set });
        const next = { ...c, ...set };
        await this.timeline.record(next, 'conversation.transferred', { type: 'agent', id: byAgentId }, data);
        if (c.status === 'queued') {
          leftQueue = true;
          await this.sla.on('picked_up', next, now, { type: 'agent', id: target._id });
        }
        return next;
      }
      await this.seats.release(c._id);
      await this.timeline.record(c, 'conversation.transferred', { type: 'agent', id: byAgentId }, data);
      return this.enqueue(c, now, { teamId: new Types.ObjectId(to.teamId) });
    });
    if (from && from !== (target ? String(target._id) : null))
      await this.announceLoad(new Types.ObjectId(from));
    if (target) await this.announceLoad(target._id);
    await this.announce(conv, leftQueue);
    if (from && from !== (target ? String(target._id) : null)) {
      // The previous assignee's console drops the conversation.
      this.notifier.offerRevoked(from, conversationId, 'returned');
    }
    if (offeredTo) {
      this.notifier.offerRevoked(offeredTo, conversationId, 'taken');
      await this.announceLoad(new Types.ObjectId(offeredTo));
    }
    if (conv.status === 'queued') this.dispatch();
    return conv;
  }

  async resolve(by: Scope, conversationId: string): Promise<ConversationDoc> {
    const byAgentId = by.agentId;
    let freed: AgentDoc['_id'] | null = null;
    let leftQueue = false;
    let wasOpen = false;
    const conv = await this.locks.run(conversationId, async () => {
      const c = assertSees(by, await this.load(conversationId));
      if (c.status === 'resolved') return c;
      wasOpen = true;
      leftQueue = c.status === 'queued';
      if (by.role === 'agent' && String(c.assigneeId) !== byAgentId) throw new NotAssignedToYou();
      await this.resolution?.before(c);
      const now = new Date();
      const seat = await this.seats.release(c._id);
      freed = seat?.agentId ?? null;
      if (seat?.state === 'offered')
        this.notifier.offerRevoked(String(seat.agentId), conversationId, 'resolved');
      const set = { status: 'resolved' as const, resolvedAt: now, liveKey: `closed:${String(c._id)}` };
      await this.models.Conversation.updateOne({ _id: c._id }, { $set: set });
      const next = { ...c, ...set };
      await this.sla.on('resolved', next, now, { type: 'agent', id: byAgentId });
      await this.timeline.record(next, 'conversation.resolved', { type: 'agent', id: byAgentId });
      return next;
    });
    if (freed) await this.announceLoad(freed);
    await this.announce(conv, leftQueue);
    this.dispatch();
    if (wasOpen) await this.resolution?.after(conv);
    return conv;
  }

  /** An agent reopens a resolved conversation into their own hands: one they held, or (supervisors) one of their team's. */
  async reopen(
    by: Scope,
    conversationId: string,
    liveKey: (c: ConversationDoc) => string,
  ): Promise<ConversationDoc> {
    const { agentId } = by;
    const agent = await this.agent(agentId);
    const conv = await this.locks.run(conversationId, async () => {
      const c = assertSees(by, await this.load(conversationId));
      if (c.status !== 'resolved') return c;
      assertHandles(by, c);
      await this.seats.claim(agent._id, agent.capacity, c._id, 'active');
      const now = new Date();
      const set = {
        status: 'assigned' as const,
        assigneeId: agent._id,
        assignedAt: now,
        resolvedAt: null,
        liveKey: liveKey(c),
      };
      try {
        await this.models.Conversation.updateOne({ _id: c._id }, { $set: set });
      } catch (err) {
        await this.seats.release(c._id);
        if (isDuplicateKey(err)) {
          throw new Conflict(
            'already_open',
            'The customer already has another open conversation on this inbox.',
          );
        }
        throw err;
      }
      const next = { ...c, ...set };
      await this.timeline.record(next, 'conversation.reopened', { type: 'agent', id: agentId });
      await this.sla.on('reopened', next, now, { type: 'agent', id: agentId });
      return next;
    });
    await this.announceLoad(agent._id, agent);
    await this.announce(conv);
    return conv;
  }

  /** Back to the queue: the agent went offline past the grace period, or reply breaches repeated. */
  async returnToQueue(conversationId: string, reason: 'agent_offline' | 'reply_breaches'): Promise<void> {
    let freed: string | null = null;
    const conv = await this.locks.run(conversationId, async () => {
      const c = await this.load(conversationId);
      if (c.status !== 'assigned') return null;
      const seat = await this.seats.release(c._id);
      freed = seat ? String(seat.agentId) : c.assigneeId ? String(c.assigneeId) : null;
      await this.timeline.record(
        c,
        'conversation.returned',
        { type: 'system', id: null },
        { reason, from: freed },
      );
      const next = await this.enqueue(c, new Date());
      if (freed)
        await this.models.Conversation.updateOne(
          { _id: c._id },
          { $set: { offerSkips: [new Types.ObjectId(freed)], lastOfferEndedAt: new Date() } },
        );
      return next;
    });
    if (!conv) return;
    if (freed) {
      this.notifier.offerRevoked(freed, conversationId, 'returned');
      await this.announceLoad(new Types.ObjectId(freed));
    }
    await this.announce(conv);
    this.dispatch();
  }

  /**
   * Tells everyone about the conversation; when it left the queue, those behind it moved up.
   * `agentName` is the assignee's, when the caller has it (the customer is told it).
   */
  private async announce(conv: ConversationDoc, leftQueue = false, agentName?: string): Promise<void> {
    await this.notifier.conversationChanged(conv, agentName !== undefined ? { agentName } : {});
    if (leftQueue) this.notifier.queueAdvanced(conv);
  }

  /**
   * Tells everyone the agent's load as it stands; `agent` and `load` save re-reading them
   * when the caller has them (a claim just made read the agent's seats).
   */
  async announceLoad(agentId: Types.ObjectId, agent?: AgentDoc, load?: number): Promise<void> {
    const a = agent ?? (await this.models.Agent.findById(agentId).lean<AgentDoc>());
    if (a) this.notifier.agentChanged(a, load ?? (await this.seats.loadOf(agentId)));
  }
}
