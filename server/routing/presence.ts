/**
 * Presence: online agents receive offers; away agents keep their conversations but get
 * no new offers; an agent who goes offline (explicitly or by losing every socket)
 * keeps their conversations for a grace period, after which they return to the queue.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { AgentDoc } from '../domain/agent';
import { NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import type { Presence } from '../domain/types';
import type { RoutingTimers } from '../queues/delayed';
import type { Router } from './router';

export class PresenceService {
  constructor(
    private readonly models: Models,
    private readonly router: Router,
    private readonly timers: RoutingTimers,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  async set(agentId: string, presence: Presence): Promise<AgentDoc> {
    const agent = await this.models.Agent.findById(agentId).lean<AgentDoc>();
    if (!agent) throw new NotFound('Agent');
    if (agent.presence === presence) return agent;
    const now = new Date();
    await this.models.Agent.updateOne({ _id: agent._id }, { $set: { presence, presenceChangedAt: now } });
    const next = { ...agent, presence, presenceChangedAt: now };
    await this.router.announceLoad(agent._id);
    if (presence === 'online') this.router.dispatch();
    if (presence === 'offline') {
      // Offers are only for agents who are there.
      const offers = await this.models.Assignment.find({ agentId: agent._id, state: 'offered' }).lean();
      for (const o of offers)
        await this.router.decline(agentId, String(o.conversationId)).catch(() => undefined);
      await this.timers.schedule(
        { type: 'agent-offline', agentId, since: now.getTime() },
        new Date(now.getTime() + this.graceMs),
        `offline:${agentId}:${now.getTime()}`,
      );
    }
    return next;
  }

  /** Grace period over: if the agent is still offline since then, their conversations go back to the queue. */
  async graceEnded(agentId: string, since: number): Promise<void> {
    const agent = await this.models.Agent.findById(agentId).lean<AgentDoc>();
    if (!agent || agent.presence !== 'offline' || new Date(agent.presenceChangedAt).getTime() !== since)
      return;
    await this.returnAll(agent._id);
  }

  private async returnAll(agentId: Types.ObjectId): Promise<void> {
    const seats = await this.models.Assignment.find({ agentId, state: 'active' }).lean();
    for (const s of seats) {
      await this.router
        .returnToQueue(String(s.conversationId), 'agent_offline')
        .catch((err: unknown) =>
          this.logger.error({ err, conversationId: String(s.conversationId) }, 'return to queue failed'),
        );
    }
  }

  /** Sweep: agents offline past the grace period who still hold conversations. */
  async sweep(now = new Date()): Promise<void> {
    const gone = await this.models.Agent.find(
      { presence: 'offline', presenceChangedAt: { $lte: new Date(now.getTime() - this.graceMs) } },
      { _id: 1 },
    ).lean();
    if (gone.length === 0) return;
    const holding = await this.models.Assignment.find(
      { agentId: { $in: gone.map((a) => a._id) }, state: 'active' },
      { agentId: 1 },
    ).lean();
    for (const id of new Set(holding.map((h) => String(h.agentId))))
      await this.returnAll(new Types.ObjectId(id));
  }
}
