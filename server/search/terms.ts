/** What is indexed for a message and for a contact, from the shared tokeniser. */
import type { ContactDoc } from '../domain/contact';
import { terms } from '../text/tokenize';

export function messageTerms(text: string, subject: string | null): string[] {
  return terms(subject ? `${subject}\n${text}` : text);
}

/**
 * A contact's name, email and phone as terms; a phone also by its trailing digits
 * (7 or more), so "13800001234" finds "+86 138 0000 1234".
 */
export function contactTerms(c: Pick<ContactDoc, 'name' | 'email' | 'phone'>): string[] {
  const out = new Set(terms([c.name, c.email, c.phone].filter(Boolean).join(' ')));
  const digits = (c.phone ?? '').replace(/\D/g, '');
  for (let i = 0; digits.length - i >= 7; i++) out.add(digits.slice(i));
  return [...out];
}
