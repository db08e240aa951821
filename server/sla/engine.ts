/**
 * SlaEngine: runs every clock of the catalogue with one machinery. Ingest, the router and
 * replies report lifecycle events through `on`; the catalogue says which clocks start,
 * stop or are cancelled. Running clocks live on the conversation (`clocks.<kind>`) with
 * `nextClockAt`, the earliest pending warning or deadline; Bull timers fire at each point
 * and a periodic sweep over that one index catches any timer lost or promoted late. Every
 * action re-reads the conversation under its lock and records once-only events by key.
 */
import { Cached } from '../cache/cached';
import type { Logger } from 'pino';
import type { SlaDefaults } from '../config';
import type { Clock, ConversationDoc, RunningClocks } from '../domain/conversation';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { ClockKind, TeamTier } from '../domain/types';
import type { Actor, ConversationWrite, Timeline } from '../ingest/timeline';
import type { Metrics } from '../observability/metrics';
import type { Notifier } from '../realtime/notifier';
import { Breaches, measureOnce, type Escalation } from './breach';
import { CATALOGUE, plan, type LifecycleEvent } from './catalogue';
import { DueDocuments } from '../storage/timed';
import { duePoint, measure, nextClockAt, retargetClock, sameTarget, startClock } from './clock';
import { Targets, type ConversationPolicy } from './targets';
import type { SlaTimers } from './timers';

export type { Escalation } from './breach';

export interface SlaDeps {
  models: Models;
  locks: ConversationLocks;
  timers: SlaTimers;
  timeline: Timeline;
  notifier: Notifier;
  metrics: Metrics;
  defaults: SlaDefaults;
  targets: Targets;
  now: () => Date;
  logger: Logger;
}

const SYSTEM: Actor = { type: 'system', id: null };
type Ended = { kind: ClockKind; clock: Clock; measured: boolean };

export class SlaEngine {
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private escalation: Escalation | null = null;
  private readonly breaches: Breaches;
  private readonly due: DueDocuments;

  constructor(private readonly d: SlaDeps) {
    this.breaches = new Breaches(d);
    this.due = new DueDocuments(d.models.Conversation);
  }

  setEscalation(e: Escalation): void {
    this.escalation = e;
  }

  /** Teams' tiers change rarely: read once per 10 s at most. */
  private readonly tiers = new Cached<TeamTier | null>(10_000, 1_000);

  private async tier(teamId: ConversationDoc['teamId']): Promise<TeamTier | null> {
    if (!teamId) return null;
    return this.tiers.get(String(teamId), async () => {
      const team = await this.d.models.Team.findById(teamId, { tier: 1 }).lean();
      return team ? (team.tier ?? 'first') : null;
    });
  }

  /**
   * A lifecycle event happened to the conversation at `at`: stops, cancels and starts the
   * clocks the catalogue names. Call under the conversation's lock with the conversation
   * as it stands after the event; its `clocks` are updated in place. The clock changes
   * join the caller's `write` when given (the caller commits it), else are stored here.
   */
  async on(
    event: LifecycleEvent,
    conv: ConversationDoc,
    at: Date,
    actor: Actor = SYSTEM,
    write?: ConversationWrite,
  ): Promise<void> {
    const clocks: RunningClocks = conv.clocks ?? {};
    let tier: Promise<TeamTier | null> | null = null;
    const facts = { event, conv, tier: () => (tier ??= this.tier(conv.teamId)) };
    const todo = await plan(CATALOGUE, facts, (k) => Boolean(clocks[k]));
    if (todo.stop.length + todo.cancel.length + todo.start.length === 0) return;
    const w = write ?? this.d.timeline.write(conv);
    const next: RunningClocks = { ...clocks };
    const set: Record<string, unknown> = {};
    const ended: Ended[] = [];
    for (const [kinds, measured] of [
      [todo.stop, true],
      [todo.cancel, false],
    ] as const) {
      for (const kind of kinds) {
        ended.push({ kind, clock: clocks[kind] as Clock, measured });
        next[kind] = null;
        set[`clocks.${kind}`] = null;
      }
    }
    const started: ClockKind[] = [];
    let policy: ConversationPolicy | null = null;
    if (todo.start.length > 0) {
      policy = await this.d.targets.policyOf(conv);
      for (const kind of todo.start) {
        const t = Targets.target(policy.policy, kind);
        if (!t) continue;
        const wt = await this.d.targets.workingTime(conv, t.businessHours);
        next[kind] = set[`clocks.${kind}`] = startClock(at, t, this.d.defaults.warnRatio, wt);
        started.push(kind);
      }
      if (started.length > 0 && conv.policyDigest !== policy.digest) set.policyDigest = policy.digest;
    }
    set.nextClockAt = nextClockAt(next);
    w.set(set);
    const before = { ...conv };
    Object.assign(conv, { clocks: next, nextClockAt: set.nextClockAt });
    for (const e of ended) await this.ended(conv, e, at, actor, w);
    if (policy && started.length > 0 && this.d.targets.recordIfChanged(before, policy, event, w))
      conv.policyDigest = policy.digest;
    for (const kind of started) {
      const clock = next[kind] as Clock;
      w.record(`sla.${kind}_started`, SYSTEM, {
        dueAt: clock.dueAt,
        targetMs: clock.targetMs,
        businessHours: clock.businessHours,
        policy: clock.policy,
      });
    }
    w.then(() => this.wake(conv, before.nextClockAt));
    if (!write) await w.commit();
  }

  /** Schedules the conversation's next point, when it has one and it moved. */
  private async wake(
    conv: Pick<ConversationDoc, '_id' | 'nextClockAt'>,
    before?: Date | null,
  ): Promise<void> {
    const at = conv.nextClockAt ? new Date(conv.nextClockAt) : null;
    if (!at || (before && new Date(before).getTime() === at.getTime())) return;
    await this.d.timers.schedule(String(conv._id), at);
  }

  private async ended(
    conv: ConversationDoc,
    e: Ended,
    at: Date,
    actor: Actor,
    w: ConversationWrite,
  ): Promise<void> {
    const wt = await this.d.targets.workingTime(conv, Boolean(e.clock.businessHours));
    const { elapsedMs, met } = measure(e.clock, at, wt);
    const agentId = actor.type === 'agent' && actor.id ? String(actor.id) : null;
    if (e.measured) {
      await measureOnce(this.d.models, conv, e.kind, { clock: e.clock, at, agentId, met, elapsedMs });
      this.d.metrics.clockSeconds.observe({ clock: e.kind, channel: conv.channel }, elapsedMs / 1000);
    }
    w.record(`sla.${e.kind}_stopped`, agentId ? actor : SYSTEM, {
      elapsedMs,
      met,
      measured: e.measured,
    });
  }

  /**
   * The targets of the conversation's running clocks follow its policy again (category,
   * priority or VIP changed): each keeps its start, gets a new target, deadline and
   * warning point, and is re-timed; one already past its new deadline breaches now.
   */
  async retarget(conversationId: string, reason: string): Promise<void> {
    await this.d.locks.run(conversationId, async () => {
      const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
      if (!conv) return;
      const contact = await this.d.models.Contact.findById(conv.contactId, { vip: 1 }).lean();
      conv.vip = contact?.vip ?? conv.vip;
      const policy = await this.d.targets.policyOf(conv);
      const next: RunningClocks = { ...conv.clocks };
      const changed: { kind: ClockKind; from: Clock; to: Clock }[] = [];
      for (const [kind, clock] of Object.entries(conv.clocks ?? {}) as [ClockKind, Clock | null][]) {
        const t = clock ? Targets.target(policy.policy, kind) : null;
        if (!clock || !t || sameTarget(clock, t)) continue;
        const wt = await this.d.targets.workingTime(conv, t.businessHours);
        next[kind] = retargetClock(clock, t, this.d.defaults.warnRatio, wt);
        changed.push({ kind, from: clock, to: next[kind] as Clock });
      }
      const set: Record<string, unknown> = { vip: conv.vip, clocks: next, nextClockAt: nextClockAt(next) };
      if (changed.length > 0 || conv.policyDigest !== policy.digest) set.policyDigest = policy.digest;
      const w = this.d.timeline.write(conv).set(set);
      this.d.targets.recordIfChanged(conv, policy, `retarget:${reason}`, w);
      for (const c of changed) {
        w.record('sla.retargeted', SYSTEM, {
          clock: c.kind,
          reason,
          fromMs: c.from.targetMs,
          toMs: c.to.targetMs,
          businessHours: c.to.businessHours,
          dueAt: c.to.dueAt,
          policy: c.to.policy,
        });
      }
      await w.commit();
      await this.wake({ _id: conv._id, nextClockAt: set.nextClockAt as Date | null }, conv.nextClockAt);
      if (changed.length > 0) await this.settle(conversationId);
    });
  }

  /**
   * Acts on every warning point and deadline of the conversation that has come: the timer
   * handler and the sweep both land here, so a stale or repeated job finds nothing to do.
   */
  async settle(conversationId: string): Promise<void> {
    await this.d.locks.run(conversationId, async () => {
      // Each point is handled on a fresh read: a breach's escalation may change the clocks.
      for (let i = 0; i < 2 * CATALOGUE.length; i++) {
        const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
        if (!conv) return;
        const now = this.d.now();
        const due = duePoint(conv.clocks, now);
        if (!due) {
          const expected = nextClockAt(conv.clocks);
          if (String(expected) !== String(conv.nextClockAt))
            await this.d.models.Conversation.updateOne(
              { _id: conv._id },
              { $set: { nextClockAt: expected } },
            );
          // The next point (a deadline after its warning, say) gets its own wake-up.
          await this.wake({ _id: conv._id, nextClockAt: expected });
          return;
        }
        if (due.what === 'warning') await this.breaches.warn(conv, due.kind, due.clock, now);
        else if (due.what === 'breach')
          await this.breaches.breach(conv, due.kind, due.clock, now, this.escalation);
        else if (this.escalation)
          await this.breaches.finishEscalation(conv, due.kind, due.clock, this.escalation);
        else
          await this.d.models.Conversation.updateOne(
            { _id: conv._id },
            { $unset: { [`clocks.${due.kind}.escalating`]: '' } },
          );
      }
    });
  }

  /** Finds every conversation with a warning point or deadline that passed without its timer acting. */
  async sweep(now = this.d.now()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const c of await this.due.at(now)) {
        await this.settle(String(c._id)).catch((err: unknown) =>
          this.d.logger.error({ err, conversationId: String(c._id) }, 'sla settle failed'),
        );
      }
    } finally {
      this.sweeping = false;
    }
  }

  startSweeping(): void {
    this.d.timers.process((job) => this.settle(job.conversationId));
    const tick = () => {
      this.sweep()
        .catch((err: unknown) => this.d.logger.error({ err }, 'sla sweep failed'))
        .finally(() => {
          if (this.sweepTimer) this.sweepTimer = setTimeout(tick, this.d.defaults.sweepIntervalMs);
        });
    };
    this.sweepTimer = setTimeout(tick, this.d.defaults.sweepIntervalMs);
  }

  stopSweeping(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }
}
