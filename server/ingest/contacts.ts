/** Resolves a channel identity to its contact, creating both atomically (unique identity key). */
import { Types } from 'mongoose';
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

/**
 * The identity is claimed first, by an upsert that returns what it found or inserted (one
 * command either way); whoever inserted it creates the contact. A contact the identity
 * names but that is not stored yet (its creator is still at it, or stopped) is created by
 * whoever finds it missing, under the same id, so every caller ends with the one contact.
 */
export async function resolveContact(
  models: Models,
  from: Identity,
  profile: Profile = {},
): Promise<ContactDoc> {
  const key = identityKey(from);
  const mine = new Types.ObjectId();
  const identity = await claimIdentity(models, key, mine);
  const contactId = identity.contactId;
  if (String(contactId) !== String(mine)) {
    const c = await models.Contact.findById(contactId).lean<ContactDoc>();
    if (c) return fillProfile(models, c, profile);
  }
  const fields = {
    _id: contactId,
    name: profile.name ?? null,
    email: profile.email ?? null,
    phone: profile.phone ?? null,
    identities: [from],
    attributes: profile.locale ? { locale: profile.locale } : {},
  };
  let doc: ContactDoc;
  try {
    doc = (await models.Contact.create(fields)).toObject();
  } catch (err) {
    // Another caller found the identity before its contact was stored and stored it.
    if (!isDuplicateKey(err)) throw err;
    const c = await models.Contact.findById(contactId).lean<ContactDoc>();
    if (!c) throw err;
    doc = await fillProfile(models, c, profile);
  }
  // Only the caller that claimed the identity may skip looking for the contact's history.
  if (String(contactId) === String(mine)) created.add(doc);
  return doc;
}

/** The identity's record, inserted for `contactId` unless it exists. */
async function claimIdentity(models: Models, key: string, contactId: Types.ObjectId) {
  const upsert = () =>
    models.ContactIdentity.findOneAndUpdate(
      { key },
      { $setOnInsert: { contactId } },
      { upsert: true, new: true },
    ).lean();
  try {
    const found = await upsert();
    if (found) return found;
  } catch (err) {
    // Two upserts of one key at once: the one that lost finds the winner's.
    if (!isDuplicateKey(err)) throw err;
  }
  const found = await models.ContactIdentity.findOne({ key }).lean();
  if (!found) throw new Error(`identity ${key} could not be stored`);
  return found;
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
