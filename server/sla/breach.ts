/**
 * Warnings and breaches of any clock: recorded once per run (timeline key), measured once,
 * alerted to supervisors and the assignee, then escalated as the clock's catalogue row
 * says (priority up and the customer told, repeated reply breaches back to the queue,
 * a move to the second line, or the alert alone).
 */
import type { Logger } from 'pino';
import type { SlaAlertView } from '../../shared/protocol';
import type { SlaDefaults } from '../config';
import type { Clock, ConversationDoc } from '../domain/conversation';
import { isDuplicateKey, type Models } from '../domain/models';
import type { ClockKind, Priority } from '../domain/types';
import type { Timeline } from '../ingest/timeline';
import type { Metrics } from '../observability/metrics';
import type { Notifier } from '../realtime/notifier';
import { catalogueRow } from './catalogue';
import { clockRunId, measure, nextClockAt } from './clock';
import type { Targets } from './targets';

/** What the engine asks of routing and messaging when a breach escalates. */
export interface Escalation {
  returnToQueue(conversationId: string, reason: 'reply_breaches'): Promise<void>;
  dispatch(): void;
  tellCustomer(conversationId: string, notice: 'pickup_breach'): Promise<void>;
  /** Moves the conversation to its inbox's second-line team (once; nothing when none is set). */
  secondLine(conversationId: string): Promise<void>;
}

export interface BreachDeps {
  models: Models;
  timeline: Timeline;
  notifier: Notifier;
  metrics: Metrics;
  defaults: SlaDefaults;
  /** The working time a business-hours clock counts, so a breach measures open time as a stop does. */
  targets: Pick<Targets, 'workingTime'>;
  logger: Logger;
}

export interface Measured {
  clock: Clock;
  at: Date;
  agentId: string | null;
  met: boolean;
  elapsedMs: number;
}

const ms = (d: Date) => new Date(d).getTime();

export async function measureOnce(
  models: Models,
  conv: ConversationDoc,
  kind: ClockKind,
  m: Measured,
): Promise<void> {
  try {
    await models.SlaMeasurement.create({
      key: clockRunId(String(conv._id), kind, m.clock),
      conversationId: conv._id,
      inboxId: conv.inboxId,
      channel: conv.channel,
      agentId: m.agentId ?? conv.assigneeId,
      teamId: conv.teamId,
      category: conv.category ?? null,
      clock: kind,
      startedAt: m.clock.startedAt,
      stoppedAt: m.at,
      targetMs: m.clock.targetMs,
      elapsedMs: m.elapsedMs,
      met: m.met,
      businessHours: Boolean(m.clock.businessHours),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** An alert about a clock of a conversation, labelled with its number and contact. */
export function alertView(
  conv: Pick<ConversationDoc, '_id' | 'number' | 'assigneeId'>,
  kind: ClockKind,
  clock: Pick<Clock, 'dueAt'>,
  what: 'warning' | 'breach',
  at: Date,
  contactName: string | null,
): SlaAlertView {
  return {
    conversationId: String(conv._id),
    clock: kind,
    kind: what,
    dueAt: new Date(clock.dueAt).toISOString(),
    assigneeId: conv.assigneeId ? String(conv.assigneeId) : null,
    at: at.toISOString(),
    number: conv.number,
    contactName,
  };
}

export class Breaches {
  constructor(private readonly d: BreachDeps) {}

  private async contactName(conv: ConversationDoc): Promise<string | null> {
    const c = await this.d.models.Contact.findById(conv.contactId, { name: 1 }).lean<{
      name: string | null;
    }>();
    return c?.name ?? null;
  }

  async warn(conv: ConversationDoc, kind: ClockKind, clock: Clock, now: Date): Promise<void> {
    const key = `${kind}:warning:${ms(clock.startedAt)}`;
    const recorded = await this.d.timeline.recordOnce(conv, 'sla.warning', key, {
      clock: kind,
      dueAt: clock.dueAt,
    });
    const clocks = { ...conv.clocks, [kind]: { ...clock, warnedAt: now } };
    await this.d.models.Conversation.updateOne(
      { _id: conv._id },
      { $set: { [`clocks.${kind}.warnedAt`]: now, nextClockAt: nextClockAt(clocks) } },
    );
    if (!recorded) return;
    this.d.metrics.warnings.inc({ clock: kind, channel: conv.channel });
    this.d.notifier.slaAlert(
      conv,
      alertView(conv, kind, clock, 'warning', now, await this.contactName(conv)),
    );
  }

  /**
   * Records the breach and applies its consequences. Durable facts come first, each once
   * by key (the breach, the priority change, the measurement); then the clock is marked
   * breached and, when the breach escalates, `escalating` until the escalation is done. A
   * process that dies on the way leaves the clock due, and the next settle finishes it.
   */
  async breach(
    conv: ConversationDoc,
    kind: ClockKind,
    clock: Clock,
    now: Date,
    escalation: Escalation | null,
  ): Promise<void> {
    const key = `${kind}:breach:${ms(clock.startedAt)}`;
    const lateMs = now.getTime() - ms(clock.dueAt);
    const recorded = await this.d.timeline.recordOnce(conv, 'sla.breached', key, {
      clock: kind,
      dueAt: clock.dueAt,
      lateMs,
    });
    const action = catalogueRow(kind).breach;
    let priority: Priority = conv.priority;
    if (action === 'raise_priority' && conv.priority < 3) {
      priority = (conv.priority + 1) as Priority;
      await this.d.timeline.recordOnce(conv, 'conversation.priority_changed', `${key}:priority`, {
        from: conv.priority,
        to: priority,
        reason: `${kind}_breach`,
      });
    }
    const replyBreaches = conv.replyBreaches + (action === 'count_reply_breach' ? 1 : 0);
    const escalates = escalation !== null && this.escalates(action, replyBreaches);
    const breached: Clock = { ...clock, breachedAt: now, ...(escalates ? { escalating: true } : {}) };
    const wt = await this.d.targets.workingTime(conv, Boolean(clock.businessHours));
    const { elapsedMs } = measure(clock, now, wt);
    await measureOnce(this.d.models, conv, kind, {
      clock: breached,
      at: now,
      agentId: null,
      met: false,
      elapsedMs,
    });
    const clocks = { ...conv.clocks, [kind]: breached };
    const set: Record<string, unknown> = {
      [`clocks.${kind}.breachedAt`]: now,
      nextClockAt: nextClockAt(clocks),
    };
    if (escalates) set[`clocks.${kind}.escalating`] = true;
    if (priority !== conv.priority) set.priority = priority;
    if (replyBreaches !== conv.replyBreaches) set.replyBreaches = replyBreaches;
    await this.d.models.Conversation.updateOne({ _id: conv._id }, { $set: set });
    if (recorded) {
      this.d.metrics.breaches.inc({ clock: kind, channel: conv.channel });
      this.d.metrics.breachLateness.observe(Math.max(0, lateMs) / 1000);
      this.d.logger.info({ conversationId: String(conv._id), clock: kind, lateMs }, 'sla breach');
    }
    const updated: ConversationDoc = { ...conv, clocks, priority, replyBreaches };
    this.d.notifier.slaAlert(
      updated,
      alertView(updated, kind, clock, 'breach', now, await this.contactName(conv)),
    );
    await this.d.notifier.conversationChanged(updated, { customer: false });
    if (escalates) await this.finishEscalation(updated, kind, breached, escalation!);
  }

  private escalates(action: ReturnType<typeof catalogueRow>['breach'], replyBreaches: number): boolean {
    if (action === 'count_reply_breach') return replyBreaches >= this.d.defaults.replyBreachesBeforeRequeue;
    return action === 'raise_priority' || action === 'second_line';
  }

  /**
   * Carries out a breach's escalation and clears the clock's `escalating` mark. Each step
   * is safe to run again (customer notices go once by key, a second-line move happens once).
   */
  async finishEscalation(conv: ConversationDoc, kind: ClockKind, clock: Clock, e: Escalation): Promise<void> {
    await this.escalate(conv, catalogueRow(kind).breach, e);
    await this.d.models.Conversation.updateOne(
      { _id: conv._id, [`clocks.${kind}.startedAt`]: clock.startedAt },
      { $unset: { [`clocks.${kind}.escalating`]: '' } },
    );
  }

  private async escalate(
    conv: ConversationDoc,
    action: ReturnType<typeof catalogueRow>['breach'],
    e: Escalation,
  ): Promise<void> {
    const id = String(conv._id);
    if (action === 'raise_priority') {
      await e.tellCustomer(id, 'pickup_breach');
      e.dispatch();
    } else if (action === 'count_reply_breach') {
      await e.returnToQueue(id, 'reply_breaches');
    } else if (action === 'second_line') {
      await e.secondLine(id);
    }
  }
}
