/**
 * A person's avatar as initials on a colour of their own (the same name always gets the
 * same colour), as support tools show agents and customers who have no picture.
 */
import { h } from './dom';

/** How many avatar colours the kit's stylesheet defines (`.avatar.c0` … `.avatar.c7`). */
export const AVATAR_COLOURS = 8;

/** "Dana Whitfield" → "DW", "dana" → "D", "王小明" → "小明", "" → "?". */
export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  // Chinese names are written without spaces: the given name (the last two characters) is what people use.
  if (/^[\u3400-\u9fff]+$/.test(first) && words.length === 1) return [...first].slice(-2).join('');
  const letter = (w: string) => [...w][0]?.toUpperCase() ?? '';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return last ? `${letter(first)}${letter(last)}` : letter(first);
}

/** The colour class of a name or id; a class, not an inline style, since the console allows no inline styles. */
export function colourOf(key: string): string {
  let n = 0;
  for (const ch of key) n = (n * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `c${n % AVATAR_COLOURS}`;
}

/** A round avatar with the initials of `name`; `key` (an id) picks the colour when names repeat. */
export function avatar(
  name: string | null | undefined,
  opts: { key?: string; size?: 'sm' | 'md' | 'lg'; testid?: string } = {},
): HTMLElement {
  return h('span', {
    class: `avatar avatar-${opts.size ?? 'md'} ${colourOf(opts.key ?? name ?? '')}`,
    'aria-hidden': 'true',
    'data-testid': opts.testid ?? 'avatar',
    text: initials(name),
  });
}
