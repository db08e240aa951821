/**
 * Answers: a customer's rating (1–5, with an optional comment) for one survey, applied
 * under the conversation's lock. The first answer is `csat.answered`; a different later
 * one is `csat.changed` with old and new; the same one again (a double click, a retried
 * webhook or callback) changes nothing.
 */
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Identity } from '../domain/contact';
import type { SurveyAnswerInput, SurveyState } from '../domain/channel';
import type { ConversationDoc } from '../domain/conversation';
import { InvalidInput, NotFound } from '../domain/errors';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import { SurveyClosed } from './errors';
import { SATISFIED_FROM, type SurveyDoc } from './model';

export const Rating = z.number().int().min(1).max(5);
export const Comment = z.string().trim().max(2000);
/** How many delivery keys a survey remembers: enough for any provider's retries. */
const KEPT_KEYS = 20;

export interface AnswerDeps {
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  notifier: Pick<Notifier, 'conversationChanged'>;
  now: () => Date;
}

export type Outcome = 'answered' | 'changed' | 'unchanged';

export class SurveyAnswers {
  constructor(private readonly d: AnswerDeps) {}

  /** An answer a channel received from someone it identifies; only the surveyed contact may answer. */
  async fromChannel(a: SurveyAnswerInput): Promise<SurveyState> {
    const survey = await this.find(a.surveyId);
    if (!(await this.isContact(survey, a.from))) throw new NotFound('Survey');
    const { survey: next } = await this.apply(survey, a.rating, a.comment, a.dedupeKey);
    return this.state(next);
  }

  /**
   * Applies an answer; `comment` undefined keeps the comment already given. Returns the
   * survey as stored and what the answer did.
   */
  async apply(
    survey: SurveyDoc,
    rating: number,
    comment: string | null | undefined,
    dedupeKey: string,
  ): Promise<{ survey: SurveyDoc; outcome: Outcome }> {
    const r = Rating.safeParse(rating);
    if (!r.success) throw new InvalidInput('rating: must be a whole number from 1 to 5');
    const c = comment === undefined || comment === null ? comment : Comment.safeParse(comment);
    if (c && typeof c === 'object' && !c.success) throw new InvalidInput('comment: at most 2000 characters');
    const text = c && typeof c === 'object' ? c.data || null : c;
    const at = this.d.now();
    if (survey.expiresAt.getTime() < at.getTime()) throw new SurveyClosed();

    const done = await this.d.locks.run(String(survey.conversationId), async () => {
      const s = await this.d.models.Survey.findById(survey._id).lean<SurveyDoc>();
      if (!s) throw new NotFound('Survey');
      const nextComment = text === undefined ? s.comment : text;
      if (s.answerKeys.includes(dedupeKey) || (s.rating === r.data && s.comment === nextComment))
        return { survey: s, outcome: 'unchanged' as const };
      const first = s.rating === null;
      const satisfied = r.data >= SATISFIED_FROM;
      const set = {
        rating: r.data,
        comment: nextComment,
        satisfied,
        answeredAt: first ? at : s.answeredAt,
        answerKeys: [...s.answerKeys, dedupeKey].slice(-KEPT_KEYS),
      };
      await this.d.models.Survey.updateOne({ _id: s._id }, { $set: set });
      const conv = { _id: s.conversationId, inboxId: s.inboxId };
      const by = { type: 'contact' as const, id: s.contactId };
      const now = { rating: r.data, comment: nextComment };
      if (first)
        await this.d.timeline.record(conv, 'csat.answered', by, {
          surveyId: String(s._id),
          ...now,
          satisfied,
        });
      else
        await this.d.timeline.record(conv, 'csat.changed', by, {
          surveyId: String(s._id),
          old: { rating: s.rating, comment: s.comment },
          new: now,
          satisfied,
        });
      // The console's badge shows the answer about the conversation's latest resolution.
      const latest = await this.d.models.Survey.findOne({ conversationId: s.conversationId }, { _id: 1 })
        .sort({ resolvedAt: -1 })
        .lean();
      if (latest && String(latest._id) === String(s._id))
        await this.d.models.Conversation.updateOne(
          { _id: s.conversationId },
          { $set: { csat: { ...now, answeredAt: at } } },
        );
      return { survey: { ...s, ...set }, outcome: first ? ('answered' as const) : ('changed' as const) };
    });
    if (done.outcome !== 'unchanged') await this.announce(done.survey.conversationId);
    return done;
  }

  /** The newest unanswered survey of a contact on an inbox that still takes answers. */
  async open(inboxId: string, contactId: string): Promise<SurveyState | null> {
    if (!Types.ObjectId.isValid(inboxId) || !Types.ObjectId.isValid(contactId)) return null;
    const s = await this.d.models.Survey.findOne({ contactId, inboxId })
      .sort({ askedAt: -1 })
      .lean<SurveyDoc>();
    if (!s || s.rating !== null || s.expiresAt.getTime() < this.d.now().getTime()) return null;
    return this.state(s);
  }

  async find(surveyId: string): Promise<SurveyDoc> {
    if (!Types.ObjectId.isValid(surveyId)) throw new NotFound('Survey');
    const s = await this.d.models.Survey.findById(surveyId).lean<SurveyDoc>();
    if (!s) throw new NotFound('Survey');
    return s;
  }

  async state(s: SurveyDoc): Promise<SurveyState> {
    const asked = await this.d.models.Message.findOne(
      { conversationId: s.conversationId, 'meta.survey.id': String(s._id) },
      { text: 1 },
    ).lean();
    return {
      surveyId: String(s._id),
      conversationId: String(s.conversationId),
      question: asked?.text ?? '',
      rating: s.rating,
      comment: s.comment,
      expiresAt: s.expiresAt,
      locale: s.locale,
    };
  }

  private async isContact(s: SurveyDoc, from: Identity): Promise<boolean> {
    const who = await this.d.models.ContactIdentity.findOne({
      key: `${from.channel}:${from.address}`,
    }).lean();
    return who !== null && String(who.contactId) === String(s.contactId);
  }

  private async announce(conversationId: Types.ObjectId): Promise<void> {
    const conv = await this.d.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (conv) await this.d.notifier.conversationChanged(conv, { customer: false });
  }
}
