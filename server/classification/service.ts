/**
 * Classification of conversations: the category set on the first customer message, and
 * the category, labels and priority agents change later, and a contact's VIP flag.
 * Every change is a timeline event made under the conversation's lock, is broadcast, and
 * then tells the policy side that its inputs changed.
 */
import { Cached } from '../cache/cached';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { InboundMessage } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import { InvalidInput, NotFound } from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { Priority } from '../domain/types';
import type { Actor, ConversationWrite, Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import { classify, type RuleSpec } from './matcher';
import type { ClassifyChange, ContactChange } from './schemas';
import { assertHandles, type Scope } from '../access/rules';

/**
 * Called after a conversation's category, priority or VIP status changed, once per
 * change, with the inputs that changed ('category', 'priority', 'vip', joined by '+').
 */
export type PolicyInputsChanged = (conversationId: string, reason: string) => Promise<void>;

/**
 * Called under the conversation's lock after its category changed, with the conversation
 * as it now stands (clocks the callee starts are set on it in place) and the old category.
 */
export type CategoryChanged = (
  conv: ConversationDoc,
  from: string | null,
  at: Date,
  actor: Actor,
) => Promise<void>;

export interface ClassificationDeps {
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  notifier: Notifier;
  logger: Logger;
  policyInputsChanged?: PolicyInputsChanged;
  /** Told when a contact's own fields changed here, so cached copies go. */
  contactChanged?: (contactId: string) => void;
  /** How long the enabled categories and rules are kept before being read again (10 s). */
  cacheMaxAgeMs?: number;
  categoryChanged?: CategoryChanged;
}

/** Who changes a classification, with the teams the access rules decide on. */
export type Staff = Scope;

/** The least priority a VIP's open conversations have: high. */
export const VIP_PRIORITY: Priority = 2;

export class Classification {
  private readonly changed: PolicyInputsChanged;
  /**
   * The enabled categories and rules, read once per `cacheMaxAgeMs` at most on the intake
   * path; this process's own changes apply at once (`rulesChanged`).
   */
  private readonly ruleSet: Cached<{ specs: RuleSpec[]; keys: Set<string> }>;

  rulesChanged(): void {
    this.ruleSet.clear();
  }

  constructor(private readonly d: ClassificationDeps) {
    this.changed = d.policyInputsChanged ?? (async () => undefined);
    this.ruleSet = new Cached(d.cacheMaxAgeMs ?? 10_000, 1);
  }

  /** The category a new conversation's first message puts it in, by the customer's choice or a rule; null for none. */
  private async match(conv: ConversationDoc, msg: InboundMessage) {
    try {
      const { specs, keys } = await this.ruleSet.get('enabled', async () => {
        const [categories, rules] = await Promise.all([
          this.d.models.Category.find({ enabled: true }, { key: 1 }).lean(),
          this.d.models.ClassificationRule.find({ enabled: true }).sort({ position: 1, _id: 1 }).lean(),
        ]);
        const list: RuleSpec[] = rules.map((r) => ({ ...r, id: String(r._id) }));
        return { specs: list, keys: new Set(categories.map((c) => c.key)) };
      });
      return classify(
        { channel: conv.channel, text: msg.text, subject: msg.subject, choice: msg.chosenCategory },
        specs,
        keys,
      );
    } catch (err) {
      this.d.logger.error(
        { err, conversationId: String(conv._id) },
        'reading the classification rules failed',
      );
      return null;
    }
  }

  /**
   * Classifies a conversation its first customer message just opened; called by ingest
   * under the conversation's lock. Classifying never fails the message: one that cannot
   * be classified is stored all the same. `write` holds what the opening gathered so far.
   */
  async opened(
    conv: ConversationDoc,
    msg: InboundMessage,
    write?: ConversationWrite,
  ): Promise<ConversationDoc> {
    if (msg.automated) return conv;
    const found = await this.match(conv, msg);
    if (!found || found.category === conv.category) return conv;
    // What the opening gathered is stored first, so the timeline reads opened, then classified.
    await write?.flush();
    try {
      await this.d.models.Conversation.updateOne({ _id: conv._id }, { $set: { category: found.category } });
      const actor: Actor =
        found.by === 'choice' ? { type: 'contact', id: conv.contactId } : { type: 'system', id: null };
      await this.d.timeline.record(conv, 'conversation.category_changed', actor, {
        from: conv.category ?? null,
        to: found.category,
        by: found.by,
        ...(found.by === 'rule' ? { ruleId: found.ruleId, keyword: found.keyword } : {}),
      });
      const next = { ...conv, category: found.category };
      await this.tellCategory(next, conv.category ?? null, actor);
      return next;
    } catch (err) {
      this.d.logger.error({ err, conversationId: String(conv._id) }, 'classifying a new conversation failed');
      return conv;
    }
  }

  /** An agent, supervisor or admin changes a conversation's category, labels or priority. */
  async change(by: Staff, conversationId: string, change: ClassifyChange): Promise<ConversationDoc> {
    if (change.category) await this.offered(change.category);
    const actor: Actor = { type: 'agent', id: by.agentId };
    const changedInputs: string[] = [];
    let touched = false;
    const next = await this.d.locks.run(conversationId, async () => {
      const conv = assertHandles(
        by,
        await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>(),
      );
      const set: Partial<ConversationDoc> = {};
      const events: [Parameters<Timeline['record']>[1], Record<string, unknown>][] = [];
      const from = { category: conv.category ?? null, labels: conv.labels ?? [], priority: conv.priority };
      if (change.category !== undefined && change.category !== from.category) {
        set.category = change.category;
        events.push([
          'conversation.category_changed',
          { from: from.category, to: change.category, by: 'agent' },
        ]);
        changedInputs.push('category');
      }
      if (change.labels !== undefined && change.labels.join('\n') !== from.labels.join('\n')) {
        set.labels = change.labels;
        const added = change.labels.filter((l) => !from.labels.includes(l));
        const removed = from.labels.filter((l) => !change.labels?.includes(l));
        events.push([
          'conversation.labels_changed',
          { from: from.labels, to: change.labels, added, removed },
        ]);
      }
      if (change.priority !== undefined && change.priority !== from.priority) {
        set.priority = change.priority;
        events.push([
          'conversation.priority_changed',
          { from: from.priority, to: change.priority, reason: 'agent' },
        ]);
        changedInputs.push('priority');
      }
      if (events.length === 0) return conv;
      touched = true;
      await this.d.models.Conversation.updateOne({ _id: conv._id }, { $set: set });
      for (const [type, data] of events) await this.d.timeline.record(conv, type, actor, data);
      const next = { ...conv, ...set };
      if ('category' in set) await this.tellCategory(next, from.category, actor);
      return next;
    });
    if (!touched) return next;
    await this.d.notifier.conversationChanged(next, { customer: false });
    if (changedInputs.length > 0) await this.tellPolicy(conversationId, changedInputs.join('+'));
    return next;
  }

  /**
   * A supervisor or admin changes a contact's VIP flag or dedicated agent. Becoming VIP
   * raises each open conversation to at least high priority; either way the policy side
   * hears of every open conversation. Ending VIP lowers no priority an agent may rely on.
   */
  async changeContact(by: Staff, contactId: string, change: ContactChange): Promise<ContactDoc> {
    if (change.dedicatedAgentId) {
      const agent = await this.d.models.Agent.exists({ _id: change.dedicatedAgentId, active: true });
      if (!agent) throw new InvalidInput('dedicatedAgentId: no active agent has this id.');
    }
    const before = await this.d.models.Contact.findOneAndUpdate(
      { _id: contactId },
      { $set: change },
      { new: false },
    ).lean<ContactDoc>();
    if (!before) throw new NotFound('Contact');
    this.d.contactChanged?.(contactId);
    const dedicated = change.dedicatedAgentId;
    const after: ContactDoc = {
      ...before,
      vip: change.vip ?? before.vip,
      dedicatedAgentId:
        dedicated === undefined
          ? (before.dedicatedAgentId ?? null)
          : dedicated === null
            ? null
            : new Types.ObjectId(dedicated),
    };
    if (change.vip === undefined || change.vip === before.vip) return after;
    const open = await this.d.models.Conversation.find(
      { contactId: before._id, status: { $ne: 'resolved' } },
      { _id: 1 },
    ).lean();
    for (const { _id } of open) await this.vipChanged(String(_id), change.vip, by);
    return after;
  }

  private async vipChanged(conversationId: string, vip: boolean, by: Staff): Promise<void> {
    const raised = await this.d.locks.run(conversationId, async () => {
      const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
      if (!conv || !vip || conv.status === 'resolved' || conv.priority >= VIP_PRIORITY) return null;
      await this.d.models.Conversation.updateOne({ _id: conv._id }, { $set: { priority: VIP_PRIORITY } });
      await this.d.timeline.record(
        conv,
        'conversation.priority_changed',
        { type: 'agent', id: by.agentId },
        { from: conv.priority, to: VIP_PRIORITY, reason: 'vip' },
      );
      return { ...conv, priority: VIP_PRIORITY };
    });
    if (raised) await this.d.notifier.conversationChanged(raised, { customer: false });
    await this.tellPolicy(conversationId, raised ? 'vip+priority' : 'vip');
  }

  /** A category an agent may pick: one that exists and is not archived. */
  private async offered(key: string): Promise<void> {
    const c = await this.d.models.Category.findOne({ key }, { enabled: 1 }).lean();
    if (!c) throw new InvalidInput(`category: there is no category "${key}".`);
    if (!c.enabled) throw new InvalidInput(`category: "${key}" is archived.`);
  }

  private async tellCategory(conv: ConversationDoc, from: string | null, actor: Actor): Promise<void> {
    try {
      await this.d.categoryChanged?.(conv, from, new Date(), actor);
    } catch (err) {
      this.d.logger.error({ err, conversationId: String(conv._id) }, 'category change hook failed');
    }
  }

  /** The hook's failure is logged, never the change's: the change is already recorded. */
  private async tellPolicy(conversationId: string, reason: string): Promise<void> {
    try {
      await this.changed(conversationId, reason);
    } catch (err) {
      this.d.logger.error(
        { err, conversationId, reason },
        'policy update after a classification change failed',
      );
    }
  }
}
