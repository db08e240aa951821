/** A customer's language from a browser or client tag (`zh`, `zh-Hans-CN`, `en-GB`), when it is one we write. */
import type { Locale } from './types';

export function localeOf(tag: unknown): Locale | null {
  if (typeof tag !== 'string') return null;
  const t = tag.trim().toLowerCase();
  if (t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}
