/**
 * SlaEngine: the pickup clock (queue entry → pickup) and the reply clock (first
 * unanswered customer message → next public agent reply), their warnings, breaches and
 * escalation. Clock state lives on the conversation; Bull timers fire at the warning
 * point and deadline, and a periodic sweep over the deadline indexes catches any timer
 * that was lost or promoted late. Every action re-reads the conversation under its lock
 * and records once-only events by key, so a clock warns and breaches once.
 */
import type { Logger } from 'pino';
import type { SlaAlertView } from '../../shared/protocol';
import type { SlaDefaults } from '../config';
import type { Clock, ConversationDoc } from '../domain/conversation';
import type { ConversationLocks } from '../domain/lock';
import { isDuplicateKey, type Models } from '../domain/models';
import type { ClockKind, Priority } from '../domain/types';
import type { Metrics } from '../observability/metrics';
import type { Notifier } from '../realtime/notifier';
import type { Timeline } from '../ingest/timeline';
import { clockRunId, measure, startClock, targetFor } from './clock';
import type { SlaTimers, TimerJob } from './timers';

/** What the engine asks of routing and messaging when a breach escalates. */
export interface Escalation {
  returnToQueue(conversationId: string, reason: 'reply_breaches'): Promise<void>;
  dispatch(): void;
  tellCustomer(conversationId: string, kind: 'pickup_breach'): Promise<void>;
}

const field = (k: ClockKind) =>
  (k === 'pickup' ? 'pickupClock' : 'replyClock') as 'pickupClock' | 'replyClock';

export class SlaEngine {
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private escalation: Escalation | null = null;

  constructor(
    private readonly models: Models,
    private readonly locks: ConversationLocks,
    private readonly timers: SlaTimers,
    private readonly timeline: Timeline,
    private readonly notifier: Notifier,
    private readonly metrics: Metrics,
    private readonly defaults: SlaDefaults,
    private readonly logger: Logger,
  ) {}

  setEscalation(e: Escalation): void {
    this.escalation = e;
  }

  /** Starts a clock unless one is already running. Call under the conversation's lock. */
  async start(conv: ConversationDoc, kind: ClockKind, at: Date): Promise<Clock | null> {
    if (conv[field(kind)]) return null;
    const inbox = await this.models.Inbox.findById(conv.inboxId, { sla: 1 }).lean();
    const clock = startClock(
      at,
      targetFor(kind, conv.channel, inbox?.sla ?? {}, this.defaults),
      this.defaults.warnRatio,
    );
    await this.models.Conversation.updateOne({ _id: conv._id }, { $set: { [field(kind)]: clock } });
    conv[field(kind)] = clock;
    await this.timeline.record(
      conv,
      `sla.${kind}_started`,
      { type: 'system', id: null },
      { dueAt: clock.dueAt, targetMs: clock.targetMs },
    );
    const base = { conversationId: String(conv._id), clock: kind, startedAt: at.getTime() };
    await this.timers.schedule({ ...base, kind: 'warning' }, clock.warnAt);
    await this.timers.schedule({ ...base, kind: 'breach' }, clock.dueAt);
    return clock;
  }

  /**
   * Stops a running clock and measures it (met or not). `measured` false cancels it
   * without a measurement: the conversation left the state the clock was about.
   */
  async stop(
    conv: ConversationDoc,
    kind: ClockKind,
    at: Date,
    agentId: string | null,
    measured = true,
  ): Promise<void> {
    const clock = conv[field(kind)];
    if (!clock) return;
    await this.models.Conversation.updateOne({ _id: conv._id }, { $set: { [field(kind)]: null } });
    conv[field(kind)] = null;
    const { elapsedMs, met } = measure(clock, at);
    if (measured) {
      await this.measureOnce(conv, kind, clock, at, agentId, met, elapsedMs);
      this.metrics.clockSeconds.observe({ clock: kind, channel: conv.channel }, elapsedMs / 1000);
    }
    await this.timeline.record(
      conv,
      `sla.${kind}_stopped`,
      { type: agentId ? 'agent' : 'system', id: agentId },
      {
        elapsedMs,
        met,
        measured,
      },
    );
    await this.timers.cancel(String(conv._id), kind, new Date(clock.startedAt).getTime());
  }

  private async measureOnce(
    conv: ConversationDoc,
    kind: ClockKind,
    clock: Clock,
    at: Date,
    agentId: string | null,
    met: boolean,
    elapsedMs: number,
  ): Promise<void> {
    try {
      await this.models.SlaMeasurement.create({
        key: clockRunId(String(conv._id), kind, clock),
        conversationId: conv._id,
        inboxId: conv.inboxId,
        channel: conv.channel,
        agentId: agentId ?? conv.assigneeId,
        teamId: conv.teamId,
        clock: kind,
        startedAt: clock.startedAt,
        stoppedAt: at,
        targetMs: clock.targetMs,
        elapsedMs,
        met,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** Timer handler: re-reads the conversation and acts only if that run of the clock is still going. */
  async fire(job: TimerJob): Promise<void> {
    await this.locks.run(job.conversationId, async () => {
      const conv = await this.models.Conversation.findById(job.conversationId).lean<ConversationDoc>();
      const clock = conv?.[field(job.clock)];
      if (!conv || !clock || new Date(clock.startedAt).getTime() !== job.startedAt) return;
      const now = new Date();
      if (job.kind === 'warning' && !clock.warnedAt && !clock.breachedAt && now >= new Date(clock.warnAt)) {
        await this.warn(conv, job.clock, clock, now);
      } else if (job.kind === 'breach' && !clock.breachedAt && now >= new Date(clock.dueAt)) {
        await this.breach(conv, job.clock, clock, now);
      }
    });
  }

  private alert(
    conv: ConversationDoc,
    kind: ClockKind,
    clock: Clock,
    what: 'warning' | 'breach',
    at: Date,
  ): SlaAlertView {
    return {
      conversationId: String(conv._id),
      clock: kind,
      kind: what,
      dueAt: new Date(clock.dueAt).toISOString(),
      assigneeId: conv.assigneeId ? String(conv.assigneeId) : null,
      at: at.toISOString(),
    };
  }

  private async warn(conv: ConversationDoc, kind: ClockKind, clock: Clock, now: Date): Promise<void> {
    const key = `${kind}:warning:${new Date(clock.startedAt).getTime()}`;
    if (!(await this.timeline.recordOnce(conv, 'sla.warning', key, { clock: kind, dueAt: clock.dueAt })))
      return;
    await this.models.Conversation.updateOne(
      { _id: conv._id },
      { $set: { [`${field(kind)}.warnedAt`]: now } },
    );
    this.metrics.warnings.inc({ clock: kind, channel: conv.channel });
    this.notifier.slaAlert(this.alert(conv, kind, clock, 'warning', now));
  }

  private async breach(conv: ConversationDoc, kind: ClockKind, clock: Clock, now: Date): Promise<void> {
    const key = `${kind}:breach:${new Date(clock.startedAt).getTime()}`;
    const lateMs = now.getTime() - new Date(clock.dueAt).getTime();
    if (
      !(await this.timeline.recordOnce(conv, 'sla.breached', key, {
        clock: kind,
        dueAt: clock.dueAt,
        lateMs,
      }))
    )
      return;
    const breachedClock = { ...clock, breachedAt: now };
    const set: Record<string, unknown> = { [`${field(kind)}.breachedAt`]: now };
    let priority: Priority = conv.priority;
    if (kind === 'pickup' && conv.priority < 3) {
      priority = (conv.priority + 1) as Priority;
      set.priority = priority;
    }
    const replyBreaches = kind === 'reply' ? conv.replyBreaches + 1 : conv.replyBreaches;
    if (kind === 'reply') set.replyBreaches = replyBreaches;
    await this.models.Conversation.updateOne({ _id: conv._id }, { $set: set });
    await this.measureOnce(
      conv,
      kind,
      breachedClock,
      now,
      null,
      false,
      now.getTime() - new Date(clock.startedAt).getTime(),
    );
    this.metrics.breaches.inc({ clock: kind, channel: conv.channel });
    this.metrics.breachLateness.observe(Math.max(0, lateMs) / 1000);
    this.logger.info({ conversationId: String(conv._id), clock: kind, lateMs }, 'sla breach');
    const updated = { ...conv, [field(kind)]: breachedClock, priority, replyBreaches };
    this.notifier.slaAlert(this.alert(updated, kind, clock, 'breach', now));
    if (priority !== conv.priority) {
      await this.timeline.record(
        conv,
        'conversation.priority_changed',
        { type: 'system', id: null },
        {
          from: conv.priority,
          to: priority,
          reason: 'pickup_breach',
        },
      );
    }
    await this.notifier.conversationChanged(updated, { customer: false });
    await this.escalate(updated, kind);
  }

  private async escalate(conv: ConversationDoc, kind: ClockKind): Promise<void> {
    const e = this.escalation;
    if (!e) return;
    const id = String(conv._id);
    if (kind === 'pickup') {
      await e.tellCustomer(id, 'pickup_breach');
      e.dispatch();
    } else if (conv.replyBreaches >= this.defaults.replyBreachesBeforeRequeue) {
      await e.returnToQueue(id, 'reply_breaches');
    }
  }

  /** Finds every warning point or deadline that passed without its timer acting. */
  async sweep(now = new Date()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const kind of ['pickup', 'reply'] as const) {
        const f = field(kind);
        const due = await this.models.Conversation.find(
          { [`${f}.dueAt`]: { $lte: now }, [`${f}.breachedAt`]: null },
          { _id: 1, [f]: 1 },
        )
          .limit(200)
          .lean<ConversationDoc[]>();
        const warn = await this.models.Conversation.find(
          { [`${f}.warnAt`]: { $lte: now }, [`${f}.warnedAt`]: null, [`${f}.breachedAt`]: null },
          { _id: 1, [f]: 1 },
        )
          .limit(200)
          .lean<ConversationDoc[]>();
        for (const [list, what] of [
          [warn, 'warning'],
          [due, 'breach'],
        ] as const) {
          for (const c of list) {
            const clock = c[f];
            if (!clock) continue;
            await this.fire({
              conversationId: String(c._id),
              clock: kind,
              kind: what,
              startedAt: new Date(clock.startedAt).getTime(),
            });
          }
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  startSweeping(): void {
    this.timers.process((job) => this.fire(job));
    const tick = () => {
      this.sweep()
        .catch((err: unknown) => this.logger.error({ err }, 'sla sweep failed'))
        .finally(() => {
          if (this.sweepTimer) this.sweepTimer = setTimeout(tick, this.defaults.sweepIntervalMs);
        });
    };
    this.sweepTimer = setTimeout(tick, this.defaults.sweepIntervalMs);
  }

  stopSweeping(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }
}
