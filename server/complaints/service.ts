/**
 * Complaints: a conversation whose category becomes `complaint` opens a complaint record
 * and its clocks; it cannot be resolved until the customer accepts the proposed solution
 * or its follow-up is done. Solutions and acceptance live in solution.ts.
 */
import type { Logger } from 'pino';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict } from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Actor, Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import type { Router } from '../routing/router';
import type { SlaEngine } from '../sla/engine';
import type { ComplaintDoc } from './model';
import { complaintView } from './views';

export const COMPLAINT = 'complaint';

/** What follow-up rules hear from complaints (the composition root wires them). */
export interface ComplaintListener {
  opened(c: ComplaintDoc): Promise<void>;
  solutionRecorded(c: ComplaintDoc): Promise<void>;
  closed(c: ComplaintDoc): Promise<void>;
}

export interface ComplaintDeps {
  models: Models;
  locks: ConversationLocks;
  sla: Pick<SlaEngine, 'on'>;
  timeline: Timeline;
  notifier: Notifier;
  router: Pick<Router, 'resolve'>;
  now: () => Date;
  logger: Logger;
}

const live = (c: ComplaintDoc | null) =>
  c !== null && (c.status === 'open' || c.status === 'solution_proposed');

export class ComplaintRecords {
  listener: ComplaintListener | null = null;

  constructor(readonly d: ComplaintDeps) {}

  of(conversationId: string): Promise<ComplaintDoc | null> {
    return this.d.models.Complaint.findOne({ conversationId }).lean<ComplaintDoc>();
  }

  /**
   * The conversation's category changed (`conv` carries the new one; `from` the old).
   * Called under the conversation's lock by classification, at intake and on agents' changes;
   * starts or cancels the complaint clocks through the engine on `conv` itself.
   */
  async categoryChanged(conv: ConversationDoc, from: string | null, at: Date, actor: Actor): Promise<void> {
    if (conv.category === COMPLAINT && from !== COMPLAINT) await this.open(conv, at, actor);
    else if (from === COMPLAINT && conv.category !== COMPLAINT) await this.withdraw(conv, at, actor);
  }

  private async open(conv: ConversationDoc, at: Date, actor: Actor): Promise<void> {
    let c = await this.of(String(conv._id));
    if (c && c.status === 'closed') return; // closed once; the category coming back opens nothing new
    if (!c || c.status === 'withdrawn') c = await this.upsertOpen(conv, at, c);
    else return;
    await this.d.timeline.recordOnce(
      conv,
      'complaint.opened',
      `complaint:opened:${at.getTime()}`,
      { complaintId: String(c._id) },
      actor,
    );
    await this.d.sla.on('became_complaint', conv, at, actor);
    this.changed(conv, c);
    await this.tell('opened', c);
  }

  private async upsertOpen(conv: ConversationDoc, at: Date, old: ComplaintDoc | null): Promise<ComplaintDoc> {
    const fields = { status: 'open' as const, openedAt: at, solution: null, accepted: null };
    if (old) {
      await this.d.models.Complaint.updateOne({ _id: old._id }, { $set: fields });
      return { ...old, ...fields };
    }
    try {
      const created = await this.d.models.Complaint.create({
        conversationId: conv._id,
        contactId: conv.contactId,
        inboxId: conv.inboxId,
        ...fields,
      });
      return created.toObject();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.of(String(conv._id));
      if (!winner) throw err;
      return winner;
    }
  }

  private async withdraw(conv: ConversationDoc, at: Date, actor: Actor): Promise<void> {
    const c = await this.of(String(conv._id));
    if (!c || !live(c)) return;
    await this.d.models.Complaint.updateOne({ _id: c._id }, { $set: { status: 'withdrawn' } });
    await this.d.timeline.record(conv, 'complaint.withdrawn', actor, { complaintId: String(c._id) });
    await this.d.sla.on('no_longer_complaint', conv, at, actor);
    this.changed(conv, { ...c, status: 'withdrawn' });
  }

  /** Resolving refuses while the complaint is open: only acceptance or the follow-up closes it. */
  async beforeResolve(conv: ConversationDoc): Promise<void> {
    if (conv.category !== COMPLAINT) return;
    if (live(await this.of(String(conv._id))))
      throw new Conflict(
        'complaint_open',
        'This complaint stays open until the customer accepts the proposed solution or its follow-up is done.',
      );
  }

  /** Closes a live complaint (under the conversation's lock); the closed record, or null when it was not live. */
  async close(
    conv: ConversationDoc,
    c: ComplaintDoc,
    by: 'accepted' | 'follow_up',
    actor: Actor,
    accepted: ComplaintDoc['accepted'] = null,
  ): Promise<ComplaintDoc | null> {
    if (!live(c)) return null;
    const at = this.d.now();
    const set = { status: 'closed' as const, closedAt: at, closedBy: by, ...(accepted ? { accepted } : {}) };
    await this.d.models.Complaint.updateOne({ _id: c._id }, { $set: set });
    const next = { ...c, ...set };
    if (accepted)
      await this.d.timeline.record(conv, 'complaint.accepted', actor, {
        complaintId: String(c._id),
        messageId: accepted.messageId ? String(accepted.messageId) : null,
        by: accepted.by,
      });
    await this.d.timeline.record(conv, 'complaint.closed', actor, { complaintId: String(c._id), by });
    this.changed(conv, next);
    return next;
  }

  /** Tells the console (the conversation's watchers, its agent and supervisors) the complaint changed. */
  changed(conv: ConversationDoc, c: ComplaintDoc): void {
    this.d.notifier.aboutConversation(conv, 'complaint:updated', complaintView(c));
  }

  /** A listener's failure is logged, never the complaint's: the complaint is already recorded. */
  async tell(what: keyof ComplaintListener, c: ComplaintDoc): Promise<void> {
    try {
      await this.listener?.[what](c);
    } catch (err) {
      this.d.logger.error(
        { err, conversationId: String(c.conversationId), what },
        'complaint listener failed',
      );
    }
  }
}
