/** Resolves a channel identity to its contact, creating both atomically (unique identity key). */
import type { Identity } from '../domain/contact';
import { isDuplicateKey, type Models } from '../domain/models';
import type { ContactDoc } from '../domain/contact';
import type { InboundMessage } from '../domain/channel';

/** What a channel learned of the sender (name, email, phone, language). */
export type Profile = NonNullable<InboundMessage['profile']>;

export const identityKey = (i: Identity) => `${i.channel}:${i.address}`;

/** Contacts resolveContact created (not found): until taken, nothing of theirs can be stored. */
const created = new WeakSet<ContactDoc>();

/**
 * True once, for a contact that the resolve just before created: no conversation or
 * message of theirs can exist yet, so looking for one is skipped.
 */
export const takeCreated = (contact: ContactDoc): boolean => created.delete(contact);

export async function resolveContact(
  models: Models,
  from: Identity,
  profile: Profile = {},
): Promise<ContactDoc> {
  const key = identityKey(from);
  const known = await models.ContactIdentity.findOne({ key }).lean();
  if (known) {
    const c = await models.Contact.findById(known.contactId).lean<ContactDoc>();
    if (c) return fillProfile(models, c, profile);
  }
  const contact = await models.Contact.create({
    name: profile.name ?? null,
    email: profile.email ?? null,
    phone: profile.phone ?? null,
    identities: [from],
    attributes: profile.locale ? { locale: profile.locale } : {},
  });
  try {
    await models.ContactIdentity.create({ key, contactId: contact._id });
    const doc = contact.toObject();
    created.add(doc);
    return doc;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another message from the same sender won the race: use its contact.
    await models.Contact.deleteOne({ _id: contact._id });
    const winner = await models.ContactIdentity.findOne({ key }).lean();
    const c = winner ? await models.Contact.findById(winner.contactId).lean<ContactDoc>() : null;
    if (!c) throw new Error(`identity ${key} has no contact`);
    return c;
  }
}

/**
 * Fills empty profile fields from what a channel learned, never overwriting what an agent
 * set; the language follows the customer's latest. Writes only when something changed.
 */
async function fillProfile(models: Models, c: ContactDoc, p: Profile) {
  const set: Partial<Record<'name' | 'email' | 'phone' | 'attributes.locale', string>> = {};
  if (!c.name && p.name) set.name = p.name;
  if (!c.email && p.email) set.email = p.email;
  if (!c.phone && p.phone) set.phone = p.phone;
  if (p.locale && c.attributes?.locale !== p.locale) set['attributes.locale'] = p.locale;
  if (Object.keys(set).length === 0) return c;
  await models.Contact.updateOne({ _id: c._id }, { $set: set });
  const { 'attributes.locale': locale, ...fields } = set;
  return { ...c, ...fields, attributes: locale ? { ...c.attributes, locale } : c.attributes };
}

/** Links another identity to an existing contact (e.g. a Telegram user proving a web session); false if it belongs elsewhere. */
export async function linkIdentity(
  models: Models,
  contactId: ContactDoc['_id'],
  identity: Identity,
): Promise<boolean> {
  try {
    await models.ContactIdentity.create({ key: identityKey(identity), contactId });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const holder = await models.ContactIdentity.findOne({ key: identityKey(identity) }).lean();
    return holder !== null && String(holder.contactId) === String(contactId);
  }
  await models.Contact.updateOne({ _id: contactId }, { $push: { identities: identity } });
  return true;
}
