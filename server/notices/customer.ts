/**
 * CustomerNotices: the automatic messages that tell a customer where they stand (a pickup
 * breach, an escalation), in the contact's language or else the inbox's, stored once per key.
 */
import type { ContactDoc } from '../domain/contact';
import { placeInQueue, type ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import type { Models } from '../domain/models';
import { noticeText, pickLocale, type NoticeKey } from './texts';

type Automatic = (conversationId: string, key: string, text: string) => Promise<void>;

export class CustomerNotices {
  constructor(
    private readonly models: Models,
    private readonly automatic: Automatic,
  ) {}

  private async send(
    conv: ConversationDoc,
    notice: Exclude<NoticeKey, 'out_of_hours'>,
    key: string,
  ): Promise<void> {
    const [contact, inbox] = await Promise.all([
      this.models.Contact.findById(conv.contactId, { attributes: 1 }).lean<Pick<ContactDoc, 'attributes'>>(),
      this.models.Inbox.findById(conv.inboxId, { locale: 1 }).lean<Pick<InboxDoc, 'locale'>>(),
    ]);
    const locale = pickLocale(contact?.attributes?.locale, inbox?.locale);
    const place = (await placeInQueue(this.models.Conversation, conv)) ?? 1;
    await this.automatic(String(conv._id), key, noticeText(notice, locale, { place }));
  }

  /** The pickup deadline passed while the customer waits: their place in line, once per queue entry. */
  async pickupBreach(conversationId: string): Promise<void> {
    const conv = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    const pickup = conv?.clocks?.pickup;
    if (!conv || conv.status !== 'queued' || !pickup) return;
    await this.send(
      conv,
      'pickup_breach',
      `pickup-breach:${conversationId}:${new Date(pickup.startedAt).getTime()}`,
    );
  }

  /** The conversation moved to the second line; `key` is the escalation's once-only key. */
  async escalated(conversationId: string, key: string): Promise<void> {
    const conv = await this.models.Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!conv || conv.status === 'resolved') return;
    await this.send(conv, 'escalated', key);
  }
}
