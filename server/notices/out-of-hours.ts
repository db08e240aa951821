/**
 * Out-of-hours replies: a customer who writes while the inbox's calendar is closed is told,
 * once per closed period and in their own language, when the team opens again. The period
 * is named by its next opening instant, and the reply is stored once under that key, so
 * further messages, a provider's retry or a second gateway process send nothing more.
 */
import type { Logger } from 'pino';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import type { Replies } from '../messaging/replies';
import type { CalendarStore } from '../calendar/store';
import { openingWords } from './opening-time';
import { noticeText, pickLocale } from './texts';

export interface OutOfHoursDeps {
  models: Models;
  calendars: Pick<CalendarStore, 'forInbox' | 'describeInbox'>;
  /** Stores and sends an automatic message once per key. */
  replies: Pick<Replies, 'automatic'>;
  now: () => Date;
  logger: Logger;
}

export class OutOfHoursReplies {
  constructor(private readonly d: OutOfHoursDeps) {}

  /** A customer message was stored; answers it when the inbox is closed. Never rejects: a failure is logged. */
  received(message: MessageDoc, conv: ConversationDoc): void {
    this.reply(message, conv).catch((err: unknown) =>
      this.d.logger.error({ err, conversationId: String(conv._id) }, 'out-of-hours reply failed'),
    );
  }

  private async reply(message: MessageDoc, conv: ConversationDoc): Promise<void> {
    // Machine mail (auto-replies, bounces) is never answered automatically: no mail loops.
    if (message.direction !== 'in' || message.meta?.automated === true) return;
    const inboxId = String(conv.inboxId);
    const at = this.d.now();
    // The cached calendar answers first, so an open inbox costs no read per message.
    if ((await this.d.calendars.forInbox(inboxId)).isOpen(at)) return;
    const hours = await this.d.calendars.describeInbox(inboxId, at);
    // A calendar that never opens again has no period to name and nothing true to promise.
    if (!hours || hours.open || !hours.nextOpeningAt) return;
    const [inbox, contact] = await Promise.all([
      this.d.models.Inbox.findById(conv.inboxId, { locale: 1, outOfHoursReply: 1 }).lean<
        Pick<InboxDoc, 'locale' | 'outOfHoursReply'>
      >(),
      this.d.models.Contact.findById(conv.contactId, { attributes: 1 }).lean<
        Pick<ContactDoc, 'attributes'>
      >(),
    ]);
    if (!inbox || inbox.outOfHoursReply === false) return;
    const locale = pickLocale(contact?.attributes?.locale, inbox.locale);
    const opening = new Date(hours.nextOpeningAt);
    const text = noticeText('out_of_hours', locale, openingWords(opening, at, hours.timeZone, locale));
    const key = `out-of-hours:${String(conv.contactId)}:${opening.getTime()}`;
    await this.d.replies.automatic(String(conv._id), key, text);
  }
}
