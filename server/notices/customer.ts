/**
 * CustomerNotices: the automatic messages that tell a customer where they stand (a pickup
 * breach, an escalation), in the contact's language or else the inbox's, stored once per key.
 * While no agent who would take the chat is online, no place in line is promised: the
 * customer is told, as the widget told them, that the answer will come by email (or here).
 */
import type { ContactDoc } from '../domain/contact';
import { placeInQueue, type ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import type { Models } from '../domain/models';
import { noticeText, pickLocale, type NoticeKey } from './texts';

type Automatic = (conversationId: string, key: string, text: string) => Promise<void>;
/** Whether an agent who would be offered the inbox's chats is online now (see calendar/availability). */
type Staffed = (inbox: Pick<InboxDoc, '_id' | 'teamId'>) => Promise<boolean>;

export class CustomerNotices {
  constructor(
    private readonly models: Models,
    private readonly automatic: Automatic,
    private readonly staffed: Staffed = () => Promise.resolve(true),
  ) {}

  private async send(
    conv: ConversationDoc,
    notice: Exclude<NoticeKey, 'out_of_hours' | 'pickup_breach_unstaffed'>,
    key: string,
  ): Promise<void> {
    const [contact, inbox] = await Promise.all([
      this.models.Contact.findById(conv.contactId, { attributes: 1, email: 1 }).lean<
        Pick<ContactDoc, 'attributes' | 'email'>
      >(),
      this.models.Inbox.findById(conv.inboxId, { locale: 1, teamId: 1 }).lean<
        Pick<InboxDoc, '_id' | 'locale' | 'teamId'>
      >(),
    ]);
    const locale = pickLocale(contact?.attributes?.locale, inbox?.locale);
    if (notice === 'pickup_breach' && inbox && !(await this.staffed(inbox))) {
      const byEmail = Boolean(contact?.email) || conv.channel === 'email';
      const text = noticeText('pickup_breach_unstaffed', locale, { byEmail });
      await this.automatic(String(conv._id), key, text);
      return;
    }
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
