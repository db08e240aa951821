/**
 * What is sealed in each collection: customers' personal fields and channel credentials.
 * The schema of each model applies its entry with `sealFields`.
 */
import type { SealSpec } from './fields';

const email = (v: string) => [v.trim().toLowerCase()];
const phone = (v: string) => [v.replace(/[\s().-]/g, '')];
/** A name is found by each of its words and by the whole of it. */
const name = (v: string) => {
  const whole = v.trim().toLowerCase().replace(/\s+/g, ' ');
  return [...whole.split(' '), whole];
};

/** Contacts: name, email, phone and channel addresses; found by email, phone, a word of the name or the whole name. */
export const contactSeal: SealSpec = {
  sealed: ['name', 'email', 'phone', 'externalId', 'identities.address'],
  indexed: { email, phone, name },
};

/** Identity keys (`channel:address`) are kept only as blind indexes: ingest finds senders by them. */
export const identitySeal: SealSpec = { sealed: [], hashed: ['key'] };

/** Inbox settings: every credential (tokens, secrets, passwords, API keys). */
export const inboxSeal: SealSpec = { sealed: [], secrets: ['settings'] };

/** Messages: the sender's name and the email addresses of the headers kept. */
export const messageSeal: SealSpec = { sealed: ['sender.name', 'meta.to', 'meta.cc', 'meta.from'] };
