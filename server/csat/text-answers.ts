/**
 * Text answers: on channels where the survey says "reply 1–5" (SMS), the contact's next
 * message that is just a digit from 1 to 5 (a comment may follow) while the survey is open
 * is its answer. It is kept on the surveyed conversation, which stays resolved: no new
 * conversation, nothing in the queue. Ingest asks here before it finds or opens one.
 */
import type { ContactDoc } from '../domain/contact';
import type { InboundMessage, IngestResult } from '../domain/channel';
import type { ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import type { MessageDoc } from '../domain/message';
import { isDuplicateKey, type Models } from '../domain/models';
import type { ChannelKind } from '../domain/types';
import type { Notifier } from '../realtime/notifier';
import type { SurveyAnswers } from './answers';
import type { SurveyDoc } from './model';

const TEXT_REPLY_CHANNELS: readonly ChannelKind[] = ['sms'];
/** "4", "5!", "5 great service", "3. slow but fine" — not "3pm" or "45". */
const DIGIT_ANSWER = /^\s*([1-5])(?:\s*$|[\s.,:;!)\-–—，。！]+([\s\S]*)$)/;

/** The rating and comment of a digit reply; a bare digit leaves an earlier comment as it was. */
export function readDigitAnswer(text: string): { rating: number; comment: string | undefined } | null {
  const m = DIGIT_ANSWER.exec(text);
  if (!m) return null;
  const comment = (m[2] ?? '').trim();
  return { rating: Number(m[1]), comment: comment || undefined };
}

type Answered = IngestResult & { message: MessageDoc; conversation: ConversationDoc };

export class TextAnswers {
  constructor(
    private readonly models: Models,
    private readonly answers: SurveyAnswers,
    private readonly notifier: Pick<Notifier, 'messageStored'>,
    private readonly now: () => Date,
  ) {}

  /** The message taken as a survey answer, or null when it is an ordinary message. */
  async take(inbox: InboxDoc, contact: ContactDoc, msg: InboundMessage): Promise<Answered | null> {
    if (!TEXT_REPLY_CHANNELS.includes(inbox.channel) || msg.automated || msg.attachments?.length) return null;
    const answer = readDigitAnswer(msg.text);
    if (!answer) return null;
    const survey = await this.models.Survey.findOne({ contactId: contact._id, inboxId: inbox._id })
      .sort({ askedAt: -1 })
      .lean<SurveyDoc>();
    if (!survey || survey.expiresAt.getTime() < this.now().getTime()) return null;
    // A conversation opened since the survey is where the contact's digits belong now.
    const live = await this.models.Conversation.exists({
      contactId: contact._id,
      inboxId: inbox._id,
      status: { $ne: 'resolved' },
    });
    if (live) return null;
    const conv = await this.models.Conversation.findById(survey.conversationId).lean<ConversationDoc>();
    if (!conv || conv.status !== 'resolved') return null;

    let message: MessageDoc;
    try {
      const created = await this.models.Message.create({
        conversationId: conv._id,
        inboxId: inbox._id,
        direction: 'in',
        sender: { type: 'contact', id: contact._id, name: contact.name },
        text: msg.text,
        dedupeKey: msg.dedupeKey,
        meta: { ...(msg.meta ?? {}), surveyAnswer: String(survey._id) },
        delivery: { status: 'received', providerId: null, error: null, updatedAt: this.now() },
      });
      message = created.toObject();
    } catch (err) {
      // The same provider message twice (a webhook retry): the first one answered.
      if (!isDuplicateKey(err)) throw err;
      const dup = await this.models.Message.findOne({
        inboxId: inbox._id,
        dedupeKey: msg.dedupeKey,
      }).lean<MessageDoc>();
      if (!dup) throw err;
      return this.result(true, dup, conv);
    }
    await this.answers.apply(survey, answer.rating, answer.comment, `message:${msg.dedupeKey}`);
    this.notifier.messageStored(message, conv);
    return this.result(false, message, conv);
  }

  private result(duplicate: boolean, message: MessageDoc, conversation: ConversationDoc): Answered {
    return {
      duplicate,
      messageId: String(message._id),
      conversationId: String(conversation._id),
      contactId: String(conversation.contactId),
      message,
      conversation,
    };
  }
}
