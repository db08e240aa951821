/**
 * The supervisor's live picture: agents with presence and load, the queue, open SLA
 * warnings and breaches, and every breach since midnight. A breach stays in the picture
 * while its conversation is open, even when its clock was cancelled (a return to the queue).
 * A supervisor's picture holds their teams (their people, conversations and queue); an admin's all.
 */
import type { SlaAlertView } from '../../shared/protocol';
import type { AgentDoc } from '../domain/agent';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { ConversationEventDoc } from '../domain/event';
import type { Models } from '../domain/models';
import { CLOCK_KINDS, type ClockKind } from '../domain/types';
import { agentView } from '../domain/views';
import { reportTimeZone, startOfDay } from '../reports/periods';
import type { Seats } from '../routing/seats';
import { alertView } from '../sla/breach';
import { agentFilter, conversationFilter, seesEverything, type Scope } from '../access/rules';
import type { Notifier } from './notifier';

/** At most this many of today's breaches are listed. */
const BREACHES_LISTED = 200;

export class SupervisorView {
  constructor(
    private readonly models: Models,
    private readonly seats: Seats,
    private readonly notifier: Notifier,
    private readonly day: { now: () => Date; timeZone: string },
  ) {}

  async snapshot(by: Scope) {
    const agents = await this.models.Agent.find({ active: true, ...agentFilter(by) })
      .sort({ name: 1 })
      .lean<AgentDoc[]>();
    const loads = await this.seats.loads(agents.map((a) => a._id));
    const open = await this.models.Conversation.find({
      status: { $in: ['queued', 'assigned'] },
      $and: [
        {
          $or: CLOCK_KINDS.flatMap((k) => [
            { [`clocks.${k}.warnedAt`]: { $ne: null } },
            { [`clocks.${k}.breachedAt`]: { $ne: null } },
          ]),
        },
        conversationFilter(by),
      ],
    })
      .limit(500)
      .lean<ConversationDoc[]>();
    const zone = await reportTimeZone(this.models, this.day.timeZone);
    const breaches = await this.models.ConversationEvent.find({
      type: 'sla.breached',
      at: { $gte: startOfDay(this.day.now(), zone) },
    })
      .sort({ at: -1 })
      .limit(BREACHES_LISTED)
      .lean<ConversationEventDoc[]>();
    const breachedIds = [...new Set(breaches.map((e) => String(e.conversationId)))];
    const breachedConvs = await this.models.Conversation.find({
      _id: { $in: breachedIds },
      ...conversationFilter(by),
    }).lean<ConversationDoc[]>();
    const convs = new Map([...breachedConvs, ...open].map((c) => [String(c._id), c]));
    const contacts = await this.models.Contact.find(
      { _id: { $in: [...convs.values()].map((c) => c.contactId) } },
      { name: 1 },
    ).lean<ContactDoc[]>();
    const names = new Map(contacts.map((c) => [String(c._id), c.name]));
    const nameOf = (c: ConversationDoc) => names.get(String(c.contactId)) ?? null;

    const alerts: SlaAlertView[] = [];
    for (const c of open) {
      for (const kind of CLOCK_KINDS) {
        const clock = c.clocks?.[kind];
        if (!clock || (!clock.warnedAt && !clock.breachedAt)) continue;
        const at = new Date(clock.breachedAt ?? clock.warnedAt ?? clock.dueAt);
        alerts.push(alertView(c, kind, clock, clock.breachedAt ? 'breach' : 'warning', at, nameOf(c)));
      }
    }
    const breachesToday: SlaAlertView[] = [];
    for (const e of breaches) {
      const c = convs.get(String(e.conversationId));
      if (!c) continue;
      const kind = e.data.clock as ClockKind;
      const view = alertView(c, kind, { dueAt: e.data.dueAt as Date }, 'breach', new Date(e.at), nameOf(c));
      breachesToday.push(view);
      // Still open with its clock gone (returned to the queue): the breach stays current.
      const current = alerts.some((a) => a.conversationId === view.conversationId && a.clock === kind);
      if (c.status !== 'resolved' && !current) alerts.push(view);
    }
    return {
      agents: agents.map((a) => agentView(a, loads.get(String(a._id)) ?? 0)),
      queue: await this.notifier.queueViews(seesEverything(by) ? null : by.teamIds),
      alerts,
      breachesToday,
    };
  }
}
