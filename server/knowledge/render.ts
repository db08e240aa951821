/**
 * An article body's light markup as HTML. Everything is escaped first; the markup gives
 * only headings (`## `), bullet and numbered lists (`- `, `1. `), paragraphs (a blank
 * line), **bold**, `code` and links to http(s) addresses `[text](https://…)`. No HTML an
 * editor writes ever reaches the page as markup.
 */
import { escapeHtml } from '../text/html';

const INLINE = /\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

function safeHref(url: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function inline(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out += `<strong>${escapeHtml(m[1])}</strong>`;
    else if (m[2] !== undefined) out += `<code>${escapeHtml(m[2])}</code>`;
    else {
      const href = safeHref(m[4]!);
      out += href
        ? `<a href="${escapeHtml(href)}" rel="nofollow noopener">${escapeHtml(m[3]!)}</a>`
        : escapeHtml(m[0]);
    }
  }
  return out + escapeHtml(text.slice(last));
}

const BLOCKS: [RegExp, Block['kind']][] = [
  [/^#{1,2}\s+(.*)$/, 'h2'],
  [/^#{3,6}\s+(.*)$/, 'h3'],
  [/^[-*]\s+(.*)$/, 'ul'],
  [/^\d+[.)、]\s*(.*)$/, 'ol'],
];

type Block = { kind: 'p' | 'ul' | 'ol' | 'h2' | 'h3'; lines: string[] };

export function renderBody(body: string): string {
  const blocks: Block[] = [];
  const add = (kind: Block['kind'], line: string) => {
    const prev = blocks[blocks.length - 1];
    if (prev && prev.kind === kind && kind !== 'h2' && kind !== 'h3') prev.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  };
  let open = false;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const block = BLOCKS.map(([re, kind]) => [re.exec(line), kind] as const).find(([m]) => m);
    if (!line) open = false;
    else if (block) {
      add(block[1], block[0]![1]!);
      open = false;
    } else if (open) blocks[blocks.length - 1]!.lines.push(line);
    else {
      blocks.push({ kind: 'p', lines: [line] });
      open = true;
    }
  }
  return blocks
    .map((b) => {
      if (b.kind === 'p') return `<p>${b.lines.map(inline).join('<br>')}</p>`;
      if (b.kind === 'h2' || b.kind === 'h3') return `<${b.kind}>${inline(b.lines[0]!)}</${b.kind}>`;
      return `<${b.kind}>${b.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</${b.kind}>`;
    })
    .join('\n');
}

/** The body as plain text: for a meta description and excerpts. */
export function plainText(body: string): string {
  return body
    .replace(/^#{1,6}\s+|^\s*[-*]\s+|^\s*\d+[.)、]\s*/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)\s]+\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `n` characters of `text`, cut with an ellipsis. */
export const clip = (text: string, n: number) =>
  [...text].length > n ? `${[...text].slice(0, n - 1).join('')}…` : text;
