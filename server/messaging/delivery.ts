/**
 * Delivery reports from providers (SMS status callbacks, read receipts). Reports can
 * arrive out of order; a status only replaces one it supersedes, so a late "sent" never
 * overwrites "delivered", and a final state stays final.
 */
import type { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import type { ConversationLocks } from '../domain/lock';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import type { DeliveryStatus } from '../domain/types';
import type { Notifier } from '../realtime/notifier';

const RANK: Record<DeliveryStatus, number> = {
  received: 0,
  pending: 1,
  queued: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  read: 5,
};

export function supersedes(next: DeliveryStatus, current: DeliveryStatus): boolean {
  if (current === 'failed' || current === 'undelivered') return false;
  return RANK[next] > RANK[current];
}

/**
 * Every change of an outbound message's delivery state — the send's result, a provider's
 * report, the customer's read receipt — goes through here: under the conversation's lock
 * (FerretDB's conditional updates are not atomic), weighed against the state the previous
 * change left, and told to agents in the order it was made.
 */
export class DeliveryRecorder {
  constructor(
    private readonly models: Models,
    private readonly locks: ConversationLocks,
    private readonly notifier: Notifier,
  ) {}

  async record(
    message: { _id: Types.ObjectId; conversationId: Types.ObjectId },
    status: DeliveryStatus,
    extra: { error?: string | null; providerId?: string | null; meta?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.locks.run(String(message.conversationId), async () => {
      const current = await this.models.Message.findById(message._id).lean<MessageDoc>();
      if (!current) return;
      const set: Record<string, unknown> = {};
      if (supersedes(status, current.delivery.status)) {
        set['delivery.status'] = status;
        set['delivery.error'] = extra.error ?? null;
        set['delivery.updatedAt'] = new Date();
        if (status === 'read' && !current.readAt) set.readAt = new Date();
      }
      if (extra.providerId) set['delivery.providerId'] = extra.providerId;
      for (const [k, v] of Object.entries(extra.meta ?? {})) set[`meta.${k}`] = v;
      if (Object.keys(set).length === 0) return;
      await this.models.Message.updateOne({ _id: current._id }, { $set: set });
      const updated = await this.models.Message.findById(current._id).lean<MessageDoc>();
      const conv = await this.models.Conversation.findById(current.conversationId).lean<ConversationDoc>();
      if (updated && conv) this.notifier.messageUpdated(updated, conv);
    });
  }
}
