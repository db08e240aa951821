/**
 * FollowUps: the task list. Tasks are made once per rule and subject (unique key), listed
 * due-first, started by contacting the customer (an agent-started conversation) and done
 * by recording the outcome; completing a complaint's follow-up closes the complaint.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { FollowUpAlertView } from '../../shared/protocol';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import type { Router } from '../routing/router';
import type { Outreach, StartRequest } from '../outreach/start';
import { ALWAYS_OPEN } from '../calendar/working-time';
import { startClock } from '../sla/clock';
import { lockKey, type FollowUpDue } from './due';
import type { FollowUpReason, FollowUpTaskDoc } from './model';
import { ownerOf } from './owner';
import { followUpView } from './views';
import { inTeams, scopeOf, teamFilter } from '../access/rules';

export interface TaskSpec {
  key: string;
  reason: FollowUpReason;
  contactId: Types.ObjectId;
  conversation: Pick<ConversationDoc, '_id' | 'inboxId' | 'teamId'> | null;
  dueAt: Date;
  note?: string | null;
  ownerAgentId?: Types.ObjectId | null;
}

export interface Outcome {
  reached: boolean;
  satisfied: boolean | null;
  note: string;
  keepOpen: boolean;
}

export interface FollowUpDeps {
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  notifier: Notifier;
  router: Pick<Router, 'resolve'>;
  outreach: Pick<Outreach, 'start'>;
  /** The complaint's follow-up is done: its clock stops and the complaint closes. */
  complaintFollowedUp(conversationId: string, agentId: string): Promise<void>;
  warnRatio: number;
  now: () => Date;
  logger: Logger;
}

type Staff = Pick<AgentDoc, '_id' | 'role' | 'teamIds'>;

export class FollowUps {
  due: FollowUpDue | null = null;

  constructor(private readonly d: FollowUpDeps) {}

  /** Makes the task unless its rule already made one for the subject; the task, or null when it existed. */
  async ensure(spec: TaskSpec): Promise<FollowUpTaskDoc | null> {
    if (await this.d.models.FollowUpTask.exists({ key: spec.key })) return null;
    const now = this.d.now();
    const owner = spec.ownerAgentId
      ? { ownerAgentId: spec.ownerAgentId, teamId: spec.conversation?.teamId ?? null }
      : await ownerOf(this.d.models, spec.contactId, spec.conversation?.teamId ?? null);
    const ms = Math.max(1, spec.dueAt.getTime() - now.getTime());
    const clock = startClock(
      now,
      { ms, businessHours: false, source: `followup:${spec.reason}` },
      this.d.warnRatio,
      ALWAYS_OPEN,
    );
    let task: FollowUpTaskDoc;
    try {
      const created = await this.d.models.FollowUpTask.create({
        key: spec.key,
        reason: spec.reason,
        contactId: spec.contactId,
        conversationId: spec.conversation?._id ?? null,
        inboxId: spec.conversation?.inboxId ?? null,
        ...owner,
        note: spec.note ?? null,
        clock,
        dueAt: clock.dueAt,
        nextClockAt: clock.warnAt,
      });
      task = created.toObject();
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
    if (spec.conversation)
      await this.d.timeline.recordOnce(
        spec.conversation,
        'followup.created',
        `followup:created:${spec.key}`,
        {
          taskId: String(task._id),
          reason: task.reason,
          dueAt: task.dueAt,
          ownerAgentId: task.ownerAgentId ? String(task.ownerAgentId) : null,
        },
      );
    await this.due?.schedule(String(task._id), clock);
    await this.changed(task);
    return task;
  }

  async list(
    by: Staff,
    q: { mine: boolean; status?: FollowUpTaskDoc['status'] },
  ): Promise<FollowUpTaskDoc[]> {
    const filter: Record<string, unknown> = {};
    if (q.status) filter.status = q.status;
    if (q.mine || by.role === 'agent')
      filter.$or = [{ ownerAgentId: by._id }, { ownerAgentId: null, teamId: { $in: by.teamIds } }];
    else Object.assign(filter, teamFilter(scopeOf(by)));
    // Due (and overdue) first: the soonest deadline leads.
    return this.d.models.FollowUpTask.find(filter).sort({ dueAt: 1 }).limit(500).lean<FollowUpTaskDoc[]>();
  }

  private async load(taskId: string, by: Staff): Promise<FollowUpTaskDoc> {
    const t = Types.ObjectId.isValid(taskId)
      ? await this.d.models.FollowUpTask.findById(taskId).lean<FollowUpTaskDoc>()
      : null;
    if (!t) throw new NotFound('Follow-up');
    const mine =
      (t.ownerAgentId && t.ownerAgentId.equals(by._id)) ||
      (!t.ownerAgentId && t.teamId !== null && by.teamIds.some((id) => String(id) === String(t.teamId)));
    if (!mine && !inTeams(scopeOf(by), t.teamId)) throw new NotFound('Follow-up');
    if (by.role === 'agent' && !mine) throw new Forbidden('This follow-up belongs to someone else.');
    if (t.status !== 'open') throw new Conflict('followup_closed', `This follow-up is already ${t.status}.`);
    return t;
  }

  /** Contacts the customer: an agent-started conversation, remembered on the task. */
  async start(by: AgentDoc, taskId: string, r: Omit<StartRequest, 'contactId'>): Promise<ConversationDoc> {
    const t = await this.load(taskId, by);
    const conv = await this.d.outreach.start(by, { ...r, contactId: String(t.contactId) });
    await this.d.models.FollowUpTask.updateOne({ _id: t._id }, { $set: { startedConversationId: conv._id } });
    await this.changed({ ...t, startedConversationId: conv._id });
    return conv;
  }

  /**
   * Records the outcome. The conversation started for it is resolved unless a new issue
   * keeps it open (it is then the outcome's new conversation); a complaint's task closes the complaint.
   */
  async complete(by: AgentDoc, taskId: string, o: Outcome): Promise<FollowUpTaskDoc> {
    const done = await this.d.locks.run(lockKey(taskId), async () => {
      const t = await this.load(taskId, by);
      const newConversationId = o.keepOpen ? t.startedConversationId : null;
      const set = {
        status: 'done' as const,
        doneAt: this.d.now(),
        outcome: { reached: o.reached, satisfied: o.satisfied, note: o.note, newConversationId },
        nextClockAt: null,
      };
      await this.d.models.FollowUpTask.updateOne({ _id: t._id }, { $set: set });
      const next: FollowUpTaskDoc = { ...t, ...set };
      if (t.conversationId && t.inboxId)
        await this.d.timeline.record(
          { _id: t.conversationId, inboxId: t.inboxId },
          'followup.completed',
          { type: 'agent', id: by._id },
          { taskId, reason: t.reason, reached: o.reached, satisfied: o.satisfied, note: o.note },
        );
      return next;
    });
    const agentId = String(by._id);
    if (done.reason === 'complaint' && done.conversationId)
      await this.d.complaintFollowedUp(String(done.conversationId), agentId);
    if (done.startedConversationId && !o.keepOpen)
      await this.d.router
        .resolve(scopeOf(by), String(done.startedConversationId))
        .catch((err: unknown) =>
          this.d.logger.warn({ err, taskId }, 'the follow-up conversation stays open'),
        );
    await this.changed(done);
    return done;
  }

  async view(t: FollowUpTaskDoc) {
    const c = await this.d.models.Contact.findById(t.contactId, { name: 1, email: 1, phone: 1 }).lean();
    return followUpView(t, c?.name ?? c?.email ?? c?.phone ?? null, this.d.now());
  }

  private async changed(t: FollowUpTaskDoc): Promise<void> {
    this.d.notifier.toStaff(
      t.ownerAgentId ? [String(t.ownerAgentId)] : [],
      t.teamId,
      'followup:updated',
      await this.view(t),
    );
  }

  /** The due clock's alert: the owner and the supervisors of the task's team. */
  alert(t: FollowUpTaskDoc, kind: FollowUpAlertView['kind'], at: Date): void {
    const owner = t.ownerAgentId ? [String(t.ownerAgentId)] : [];
    const event = kind === 'warning' ? 'followup:warning' : 'followup:overdue';
    void this.view(t)
      .then((task) => this.d.notifier.toStaff(owner, t.teamId, event, { task, kind, at: at.toISOString() }))
      .catch((err: unknown) => this.d.logger.error({ err, taskId: String(t._id) }, 'follow-up alert failed'));
  }
}
