/** The supervisor's live picture: agents with presence and load, the queue, open SLA warnings and breaches. */
import type { SlaAlertView } from '../../shared/protocol';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';
import { CLOCK_KINDS } from '../domain/types';
import { agentView } from '../domain/views';
import type { Seats } from '../routing/seats';
import type { Notifier } from './notifier';

export class SupervisorView {
  constructor(
    private readonly models: Models,
    private readonly seats: Seats,
    private readonly notifier: Notifier,
  ) {}

  async snapshot() {
    const agents = await this.models.Agent.find({ active: true }).sort({ name: 1 }).lean<AgentDoc[]>();
    const loads = await this.seats.loads(agents.map((a) => a._id));
    const open = await this.models.Conversation.find({
      status: { $in: ['queued', 'assigned'] },
      $or: CLOCK_KINDS.flatMap((k) => [
        { [`clocks.${k}.warnedAt`]: { $ne: null } },
        { [`clocks.${k}.breachedAt`]: { $ne: null } },
      ]),
    })
      .limit(500)
      .lean<ConversationDoc[]>();
    const alerts: SlaAlertView[] = [];
    for (const c of open) {
      for (const kind of CLOCK_KINDS) {
        const clock = c.clocks?.[kind];
        if (!clock || (!clock.warnedAt && !clock.breachedAt)) continue;
        alerts.push({
          conversationId: String(c._id),
          clock: kind,
          kind: clock.breachedAt ? 'breach' : 'warning',
          dueAt: new Date(clock.dueAt).toISOString(),
          assigneeId: c.assigneeId ? String(c.assigneeId) : null,
          at: new Date(clock.breachedAt ?? clock.warnedAt ?? clock.dueAt).toISOString(),
        });
      }
    }
    return {
      agents: agents.map((a) => agentView(a, loads.get(String(a._id)) ?? 0)),
      queue: await this.notifier.queueViews(),
      alerts,
    };
  }
}
