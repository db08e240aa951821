/**
 * The rules that make follow-up tasks: a new customer's first conversation resolved (due
 * in 7 days), a complaint's solution recorded or the complaint closed (due with the
 * complaint's follow-up clock, 3 days by default), and a customer at risk — a rating of
 * 2 or less, two complaints or two reopenings within 90 days — once a quarter (due in 90
 * days). Each rule names its subject, so a task is never made twice.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { ComplaintDoc } from '../complaints/model';
import type { ComplaintListener } from '../complaints/service';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';
import type { FollowUps } from './service';

const DAY = 24 * 3600_000;
export const NEW_CUSTOMER_DUE_MS = 7 * DAY;
export const COMPLAINT_DUE_MS = 3 * DAY;
export const AT_RISK_DUE_MS = 90 * DAY;
/** How far back "two complaints" and "two reopenings" look. */
export const AT_RISK_WINDOW_MS = 90 * DAY;
export const LOW_RATING = 2;

/** At most one at-risk task per contact and calendar quarter, whichever signal came first. */
const quarter = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

export class FollowUpRules implements ComplaintListener {
  constructor(
    private readonly models: Models,
    private readonly tasks: Pick<FollowUps, 'ensure'>,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /** After a conversation is resolved: new customer, and repeated reopenings. */
  async conversationResolved(conv: ConversationDoc): Promise<void> {
    await this.safely(String(conv._id), async () => {
      const earlier = await this.models.Conversation.exists({
        contactId: conv.contactId,
        _id: { $ne: conv._id },
        createdAt: { $lt: conv.createdAt },
      });
      if (!earlier)
        await this.tasks.ensure({
          key: `new_customer:${String(conv.contactId)}`,
          reason: 'new_customer',
          contactId: conv.contactId,
          conversation: conv,
          dueAt: new Date(this.now().getTime() + NEW_CUSTOMER_DUE_MS),
        });
      const convs = await this.models.Conversation.find({ contactId: conv.contactId }, { _id: 1 })
        .limit(500)
        .lean();
      const reopenings = await this.models.ConversationEvent.countDocuments({
        conversationId: { $in: convs.map((c) => c._id) },
        type: 'conversation.reopened',
        at: { $gte: this.since() },
      });
      if (reopenings >= 2) await this.atRisk(conv, 'reopenings');
    });
  }

  /** A customer rated a conversation (the survey's answer); 2 or less puts them at risk. */
  async ratingReceived(conversationId: string, rating: number): Promise<void> {
    if (rating > LOW_RATING || !Types.ObjectId.isValid(conversationId)) return;
    await this.safely(conversationId, async () => {
      const conv = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
      if (conv) await this.atRisk(conv, `rating ${rating}`);
    });
  }

  async opened(c: ComplaintDoc): Promise<void> {
    const recent = await this.models.Complaint.countDocuments({
      contactId: c.contactId,
      openedAt: { $gte: this.since() },
    });
    if (recent < 2) return;
    const conv = await this.models.Conversation.findById(c.conversationId).lean<ConversationDoc>();
    if (conv) await this.atRisk(conv, 'complaints');
  }

  async solutionRecorded(c: ComplaintDoc): Promise<void> {
    await this.complaintTask(c);
  }

  async closed(c: ComplaintDoc): Promise<void> {
    await this.complaintTask(c);
  }

  /** Due with the complaint's follow-up clock when it runs, so the task and the clock keep one promise. */
  private async complaintTask(c: ComplaintDoc): Promise<void> {
    const conv = await this.models.Conversation.findById(c.conversationId).lean<ConversationDoc>();
    if (!conv) return;
    const clock = conv.clocks?.complaint_follow_up;
    await this.tasks.ensure({
      key: `complaint:${String(c.conversationId)}`,
      reason: 'complaint',
      contactId: c.contactId,
      conversation: conv,
      dueAt: clock ? new Date(clock.dueAt) : new Date(this.now().getTime() + COMPLAINT_DUE_MS),
    });
  }

  private async atRisk(conv: ConversationDoc, why: string): Promise<void> {
    const now = this.now();
    await this.tasks.ensure({
      key: `at_risk:${String(conv.contactId)}:${quarter(now)}`,
      reason: 'at_risk',
      contactId: conv.contactId,
      conversation: conv,
      dueAt: new Date(now.getTime() + AT_RISK_DUE_MS),
      note: why,
    });
  }

  private since(): Date {
    return new Date(this.now().getTime() - AT_RISK_WINDOW_MS);
  }

  /** A rule's failure is logged with its conversation; what triggered it has already happened. */
  private async safely(conversationId: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.logger.error({ err, conversationId }, 'follow-up rule failed');
    }
  }
}
