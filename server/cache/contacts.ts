/**
 * ContactDirectory: the contact behind a channel identity, as ingest needs it on every
 * message, cached in process. An identity never moves to another contact, so what can go
 * stale is the contact's own fields (name, VIP): this process drops its copy when it
 * changes them, and another process's change is seen within the cache's age.
 */
import type { ContactDoc, Identity } from '../domain/contact';
import type { ChannelKind } from '../domain/types';
import type { Models } from '../domain/models';
import { identityKey, resolveContact, type Profile } from '../ingest/contacts';
import { Cached } from './cached';

/** How a contact is named to agents: their name, else their email address, else their phone number. */
export const displayName = (c: Pick<ContactDoc, 'name' | 'email' | 'phone'> | null | undefined) =>
  c?.name ?? c?.email ?? c?.phone ?? null;

export class ContactDirectory {
  private readonly byIdentity: Cached<ContactDoc>;
  /** Display names by contact id, for the views agents get with every change. */
  private readonly names: Cached<string | null>;
  /** Identity keys by contact, to drop a changed contact's entries. */
  private readonly keysOf = new Map<string, Set<string>>();
  /** Channel addresses of contacts this process did not resolve, by `channel:contactId`. */
  private readonly addresses = new Cached<string>(3600_000, 20_000);

  constructor(
    private readonly models: Models,
    maxAgeMs = 10_000,
  ) {
    this.byIdentity = new Cached<ContactDoc>(maxAgeMs, 20_000);
    this.names = new Cached<string | null>(maxAgeMs, 20_000);
  }

  async resolve(from: Identity, profile: Profile = {}): Promise<ContactDoc> {
    const key = identityKey(from);
    const load = () => resolveContact(this.models, from, profile);
    let contact = await this.byIdentity.get(key, load);
    if (fillsSomething(contact, profile)) {
      // The channel learned a field the contact lacks: let the resolver store it.
      this.byIdentity.delete(key);
      contact = await this.byIdentity.get(key, load);
    }
    const id = String(contact._id);
    this.names.set(id, displayName(contact));
    // Bounded: past this, changes of older contacts are seen when their entries age out.
    if (this.keysOf.size >= 20_000) this.keysOf.clear();
    const keys = this.keysOf.get(id) ?? new Set<string>();
    keys.add(key);
    this.keysOf.set(id, keys);
    return contact;
  }

  async nameOf(contactId: ContactDoc['_id'] | string): Promise<string | null> {
    const id = String(contactId);
    return this.names.get(id, async () =>
      displayName(await this.models.Contact.findById(id, { name: 1, email: 1, phone: 1 }).lean()),
    );
  }

  /** Display names of several contacts, with one read for those not cached. */
  async namesOf(contactIds: (ContactDoc['_id'] | string)[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const missing: string[] = [];
    for (const id of new Set(contactIds.map(String))) {
      const hit = this.names.peek(id);
      if (hit === undefined) missing.push(id);
      else out.set(id, hit);
    }
    if (missing.length > 0) {
      const found = await this.models.Contact.find(
        { _id: { $in: missing } },
        { name: 1, email: 1, phone: 1 },
      ).lean();
      for (const c of found) {
        const name = displayName(c);
        this.names.set(String(c._id), name);
        out.set(String(c._id), name);
      }
    }
    return out;
  }

  /**
   * The contact's address on a channel (a web chat visitor id, a Telegram chat): known from
   * the identity this process resolved, else read once. An identity never moves, so it is kept.
   */
  async addressOf(contactId: ContactDoc['_id'] | string, channel: ChannelKind): Promise<string | null> {
    const id = String(contactId);
    const prefix = `${channel}:`;
    for (const key of this.keysOf.get(id) ?? []) if (key.startsWith(prefix)) return key.slice(prefix.length);
    const known = this.addresses.peek(`${prefix}${id}`);
    if (known) return known;
    const c = await this.models.Contact.findById(id, { identities: 1 }).lean<
      Pick<ContactDoc, 'identities'>
    >();
    const address = c?.identities.find((i) => i.channel === channel)?.address ?? null;
    // A contact not found, or without that channel yet, is asked again next time.
    if (address) this.addresses.set(`${prefix}${id}`, address);
    return address;
  }

  /** This process changed the contact: its cached copies go. */
  changed(contactId: string): void {
    this.names.delete(contactId);
    for (const key of this.keysOf.get(contactId) ?? []) this.byIdentity.delete(key);
    this.keysOf.delete(contactId);
  }
}

const fillsSomething = (c: ContactDoc, p: Profile) =>
  (!c.name && Boolean(p.name)) ||
  (!c.email && Boolean(p.email)) ||
  (!c.phone && Boolean(p.phone)) ||
  (Boolean(p.locale) && c.attributes?.locale !== p.locale);
