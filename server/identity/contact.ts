/** Marks the contact of a verified web chat user: created if new, flagged verified with the site's user id (sealed). */
import type { Models } from '../domain/models';
import { resolveContact } from '../ingest/contacts';

export async function verifiedContact(
  models: Models,
  visitorId: string,
  userId: string,
  profile: { name?: string; email?: string },
): Promise<string> {
  const contact = await resolveContact(models, { channel: 'webchat', address: visitorId }, profile);
  if (!contact.verified || contact.externalId !== userId)
    await models.Contact.updateOne({ _id: contact._id }, { $set: { verified: true, externalId: userId } });
  return String(contact._id);
}
