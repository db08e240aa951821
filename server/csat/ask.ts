/**
 * Asking: after every resolution, one survey per (conversation, resolution), put to the
 * customer on the conversation's own channel as an automatic message — unless surveys are
 * off for the inbox, the contact cannot be reached there, or no person ever wrote.
 */
import type { Logger } from 'pino';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Actor, Timeline } from '../ingest/timeline';
import { pickLocale } from '../notices/texts';
import type { SurveyDoc } from './model';
import { surveyQuestion } from './texts';
import { ratingToken } from './token';

export type SendAutomatic = (
  conversationId: string,
  key: string,
  text: string,
  opts: { afterResolution: boolean; meta: Record<string, unknown> },
) => Promise<void>;

export interface AskDeps {
  models: Models;
  timeline: Timeline;
  automatic: SendAutomatic;
  cfg: { enabled: boolean; ttlS: number; secret: string; timeZone: string };
  /** Where customers reach the gateway (the rating page's links). */
  baseUrl: () => string;
  now: () => Date;
  logger: Logger;
}

/** The day and month of an instant in a time zone, as the report groups them. */
export function periodOf(at: Date, timeZone: string): { day: string; month: string } {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(at)
    .slice(0, 10);
  return { day, month: day.slice(0, 7) };
}

export const ratingLink = (base: string, token: string) => `${base.replace(/\/+$/, '')}/csat/${token}`;

export class SurveyAsker {
  constructor(private readonly d: AskDeps) {}

  /** A timeline listener: a resolution asks for a rating, in the background (logged on failure). */
  readonly onEvent = (conv: { _id: unknown }, type: string, actor: Actor): void => {
    if (type !== 'conversation.resolved') return;
    const conversationId = String(conv._id);
    this.ask(conversationId, actor.type === 'agent' && actor.id ? String(actor.id) : null).catch(
      (err: unknown) => this.d.logger.error({ err, conversationId }, 'satisfaction survey not asked'),
    );
  };

  /** Asks about the conversation's current resolution; the survey, or null when none is owed. */
  async ask(conversationId: string, resolvedBy: string | null): Promise<SurveyDoc | null> {
    const { models } = this.d;
    const conv = await models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv || conv.status !== 'resolved' || !conv.resolvedAt) return null;
    const [inbox, contact] = await Promise.all([
      models.Inbox.findById(conv.inboxId).lean<InboxDoc>(),
      models.Contact.findById(conv.contactId).lean<ContactDoc>(),
    ]);
    if (!inbox || !contact || !(inbox.csat?.enabled ?? this.d.cfg.enabled)) return null;
    if (contact.reachability?.[conv.channel]?.reachable === false) return null;
    // Machine mail (auto-replies, bounces, newsletters) is owed no survey: nobody wrote it.
    const person = await models.Message.exists({
      conversationId: conv._id,
      direction: 'in',
      'meta.automated': { $ne: true },
    });
    if (!person) return null;

    const survey = await this.create(conv, inbox, contact, resolvedBy);
    const data = {
      surveyId: String(survey._id),
      resolvedAt: survey.resolvedAt.toISOString(),
      channel: survey.channel,
      inboxId: String(survey.inboxId),
      teamId: survey.teamId ? String(survey.teamId) : null,
      agentId: survey.agentId ? String(survey.agentId) : null,
      category: survey.category,
    };
    await this.d.timeline.recordOnce(conv, 'csat.requested', `csat.requested:${data.surveyId}`, data);
    const token = ratingToken(this.d.cfg.secret, {
      conversationId,
      resolvedAt: survey.resolvedAt,
      expiresAt: survey.expiresAt,
    });
    const days = Math.max(1, Math.round(this.d.cfg.ttlS / 86_400));
    const text = surveyQuestion(conv.channel, survey.locale, ratingLink(this.d.baseUrl(), token), days);
    // Keyed by the survey: asking again (another process, a retry) sends nothing more.
    await this.d.automatic(conversationId, `csat:${data.surveyId}`, text, {
      afterResolution: true,
      meta: { survey: { id: data.surveyId, expiresAt: survey.expiresAt.toISOString() } },
    });
    return survey;
  }

  private async create(
    conv: ConversationDoc,
    inbox: InboxDoc,
    contact: ContactDoc,
    resolvedBy: string | null,
  ): Promise<SurveyDoc> {
    const resolvedAt = conv.resolvedAt as Date;
    const askedAt = this.d.now();
    try {
      const created = await this.d.models.Survey.create({
        conversationId: conv._id,
        resolvedAt,
        channel: conv.channel,
        inboxId: conv.inboxId,
        teamId: conv.teamId,
        agentId: conv.assigneeId ?? resolvedBy,
        category: conv.category ?? null,
        contactId: conv.contactId,
        locale: pickLocale(contact.attributes?.locale, inbox.locale),
        askedAt,
        ...periodOf(askedAt, this.d.cfg.timeZone),
        expiresAt: new Date(askedAt.getTime() + this.d.cfg.ttlS * 1000),
      });
      return created.toObject();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const first = await this.d.models.Survey.findOne({
        conversationId: conv._id,
        resolvedAt,
      }).lean<SurveyDoc>();
      if (!first) throw err;
      return first;
    }
  }
}
