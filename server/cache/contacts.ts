/**
 * ContactDirectory: the contact behind a channel identity, as ingest needs it on every
 * message, cached in process. An identity never moves to another contact, so what can go
 * stale is the contact's own fields (name, VIP): this process drops its copy when it
 * changes them, and another process's change is seen within the cache's age.
 */
import type { ContactDoc, Identity } from '../domain/contact';
import type { Models } from '../domain/models';
import { identityKey, resolveContact, type Profile } from '../ingest/contacts';
import { Cached } from './cached';

export class ContactDirectory {
  private readonly byIdentity = new Cached<ContactDoc>(10_000, 20_000);
  /** Identity keys by contact, to drop a changed contact's entries. */
  private readonly keysOf = new Map<string, Set<string>>();

  constructor(private readonly models: Models) {}

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
    // Bounded: past this, changes of older contacts are seen when their entries age out.
    if (this.keysOf.size >= 20_000) this.keysOf.clear();
    const keys = this.keysOf.get(id) ?? new Set<string>();
    keys.add(key);
    this.keysOf.set(id, keys);
    return contact;
  }

  /** This process changed the contact: its cached copies go. */
  changed(contactId: string): void {
    for (const key of this.keysOf.get(contactId) ?? []) this.byIdentity.delete(key);
    this.keysOf.delete(contactId);
  }
}

const fillsSomething = (c: ContactDoc, p: Profile) =>
  (!c.name && Boolean(p.name)) ||
  (!c.email && Boolean(p.email)) ||
  (!c.phone && Boolean(p.phone)) ||
  (Boolean(p.locale) && c.attributes?.locale !== p.locale);
