/** An excerpt of a text around the first word a search found in it. */

/** A part of `text` around the first of `words` it contains, with an ellipsis where it was cut. */
export function snippetOf(text: string, words: string[], width = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.normalize('NFKC').toLowerCase();
  const at = Math.max(0, Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), flat.length));
  const start = at >= flat.length ? 0 : Math.max(0, at - Math.floor(width / 3));
  const part = [...flat.slice(start)].slice(0, width).join('');
  return `${start > 0 ? '…' : ''}${part}${start + part.length < flat.length ? '…' : ''}`;
}
