/** What is indexed for a message and for a contact, from the shared tokeniser. */
import type { ContactDoc } from '../domain/contact';
import type { Keyring } from '../privacy/keyring';
import { terms } from '../text/tokenize';

export function messageTerms(text: string, subject: string | null): string[] {
  return terms(subject ? `${subject}\n${text}` : text);
}

/**
 * A contact's name, email and phone as terms; a phone also by its trailing digits
 * (7 or more), so "13800001234" finds "+86 138 0000 1234".
 */
export function contactTerms(c: Pick<ContactDoc, 'name' | 'email' | 'phone'>, blind: Blind): string[] {
  const out = new Set(terms([c.name, c.email, c.phone].filter(Boolean).join(' ')));
  const digits = (c.phone ?? '').replace(/\D/g, '');
  for (let i = 0; digits.length - i >= 7; i++) out.add(digits.slice(i));
  return [...out].map(blind);
}

/**
 * A contact's terms are personal data: the index holds their blind indexes (keyed
 * hashes), and a query looks for the blind indexes of its words as well as the words.
 */
export type Blind = (term: string) => string;

export const blindTerms =
  (keyring: Keyring): Blind =>
  (term) =>
    keyring.index(`search:${term}`);
