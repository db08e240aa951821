/**
 * Reachability: a channel reports that a contact can no longer be reached there (SMS
 * opt-out, bot blocked) or can again; the contact records it and each open conversation
 * on that channel gets it on its timeline.
 */
import type { Models } from '../domain/models';
import type { ChannelKind } from '../domain/types';
import type { Timeline } from '../ingest/timeline';

export function reachabilityRecorder(models: Models, timeline: Timeline) {
  return async (contactId: string, channel: ChannelKind, reachable: boolean, reason: string | null) => {
    await models.Contact.updateOne(
      { _id: contactId },
      { $set: { [`reachability.${channel}`]: { reachable, reason, updatedAt: new Date() } } },
    );
    const convs = await models.Conversation.find(
      { contactId, channel, status: { $ne: 'resolved' } },
      { _id: 1, inboxId: 1 },
    ).lean();
    for (const c of convs) {
      await timeline.record(
        c,
        reachable ? 'contact.consent_changed' : 'contact.unreachable',
        { type: 'system', id: null },
        { channel, reachable, reason },
      );
    }
  };
}
