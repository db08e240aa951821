/**
 * Search terms of a text, the same for what is indexed and what is searched for, in
 * English and Chinese. Latin, Cyrillic and other spaced scripts split into words
 * (lower-cased, NFKC-folded, so full-width letters match); Chinese, Japanese and Korean
 * have no spaces between words, so each run of those characters gives its single
 * characters and its overlapping pairs (bigrams): 退款申请 → 退 款 申 请 退款 款申 申请.
 * A query matches when all its terms are present, so a two-character word matches where
 * those two characters stand together, without a dictionary.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** The distinct terms of `text`, in first-seen order. */
export function terms(text: string, maxTerms = 2000): string[] {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const run = m[0];
    if (!CJK.test(run[0]!)) {
      out.add(run);
    } else {
      const chars = [...run];
      chars.forEach((c, i) => {
        out.add(c);
        if (i + 1 < chars.length) out.add(c + chars[i + 1]);
      });
    }
    if (out.size >= maxTerms) break;
  }
  return [...out].slice(0, maxTerms);
}

/**
 * The terms a query needs: for a Chinese run longer than one character, its bigrams
 * alone (each character is already in one), so 退款 needs only "退款".
 */
export function queryTerms(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const run = m[0];
    const chars = [...run];
    if (!CJK.test(run[0]!) || chars.length === 1) out.add(run);
    else for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]);
  }
  return [...out];
}
