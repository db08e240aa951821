/** Phone numbers in E.164, so that one phone is one contact whatever way it was written. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 form of a number, or null if it is not a phone number (short codes, sender names). */
export function toE164(raw: string, country?: string): string | null {
  const cleaned = raw.trim();
  if (!cleaned) return null;
  const region = country && /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(cleaned, region);
  return parsed?.isPossible() ? parsed.number : null;
}
