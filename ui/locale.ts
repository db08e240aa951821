/** The two languages every screen speaks, and how a browser's choice is read. */
export type Locale = 'en' | 'zh-CN';

export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/** The first of the requested and the browser's languages that is English or Chinese; English otherwise. */
export function pickLocale(requested: string | null | undefined, browser: readonly string[]): Locale {
  for (const l of [requested, ...browser]) {
    if (!l) continue;
    if (/^zh/i.test(l)) return 'zh-CN';
    if (/^en/i.test(l)) return 'en';
  }
  return 'en';
}

/** Looks words up by key and fills `{name}` placeholders. */
export function translatorOf<K extends string>(
  words: Record<K, string>,
): (key: K, vars?: Record<string, string | number>) => string {
  return (key, vars = {}) => words[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}
