/**
 * HTML of an email made safe to show in the console: an allowlist of tags, attributes
 * and style properties. Scripts, event handlers, javascript: links, frames, forms and
 * anything that loads remote content (images, CSS url()) are removed; inline images
 * (cid:) point at their stored copies.
 */
import { Parser } from 'htmlparser2';

const ALLOWED = new Set(
  (
    'a abbr address b big blockquote br caption center cite code col colgroup dd del div dl dt em font ' +
    'h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strike strong sub sup table ' +
    'tbody td tfoot th thead tr tt u ul'
  ).split(' '),
);
/** Elements dropped together with everything inside them. */
const DROPPED = new Set(
  (
    'script style iframe frame frameset object embed applet noscript template svg math head title ' +
    'textarea select button audio video canvas map xml'
  ).split(' '),
);
const VOID = new Set(['br', 'hr', 'img', 'col']);
const ATTRIBUTES = new Set(
  (
    'align alt bgcolor border cellpadding cellspacing color colspan dir face height lang rowspan size ' +
    'span start style title type valign width'
  ).split(' '),
);
const STYLE_PROPERTIES =
  /^(color|background-color|font(-(family|size|style|weight|variant))?|text-(align|decoration|indent|transform)|line-height|letter-spacing|white-space|vertical-align|margin(-(top|right|bottom|left))?|padding(-(top|right|bottom|left))?|border(-(top|right|bottom|left))?(-(color|style|width))?|border-collapse|width|height|max-width|min-width|list-style-type|display)$/;
const UNSAFE_STYLE_VALUE =
  /url\s*\(|expression\s*\(|javascript:|vbscript:|@import|behavio[u]?r|binding|[\\<>]/i;
const SAFE_HREF = /^(https?:|mailto:|tel:|#)/i;
const DATA_IMAGE = /^data:image\/(png|jpe?g|gif|webp);base64,[a-z0-9+/=\s]+$/i;

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function cleanStyle(style: string): string {
  const kept: string[] = [];
  for (const decl of style.split(';')) {
    const colon = decl.indexOf(':');
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (STYLE_PROPERTIES.test(prop) && value && !UNSAFE_STYLE_VALUE.test(value))
      kept.push(`${prop}: ${value}`);
  }
  return kept.join('; ');
}

/**
 * `inline` maps a Content-ID (without brackets) to the URL of its stored attachment.
 */
export function sanitizeHtml(html: string, inline: Map<string, string> = new Map()): string {
  let out = '';
  let dropDepth = 0;
  const open: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || DROPPED.has(name)) {
          if (!VOID.has(name)) dropDepth++;
          return;
        }
        if (!ALLOWED.has(name)) return;
        const attrs: string[] = [];
        for (const [key, raw] of Object.entries(attribs)) {
          const value = raw.trim();
          if (key === 'style') {
            const style = cleanStyle(value);
            if (style) attrs.push(`style="${escapeAttr(style)}"`);
          } else if (ATTRIBUTES.has(key)) attrs.push(`${key}="${escapeAttr(value)}"`);
        }
        if (name === 'a') {
          const href = (attribs.href ?? '').replace(/[\s\0]/g, '');
          if (SAFE_HREF.test(href)) attrs.push(`href="${escapeAttr(href)}"`);
          attrs.push('target="_blank"', 'rel="noopener noreferrer nofollow"');
        }
        if (name === 'img') {
          const src = (attribs.src ?? '').trim();
          const cid = /^cid:(.+)$/i.exec(src)?.[1];
          const stored = cid ? inline.get(cid.replace(/^<|>$/g, '')) : undefined;
          if (stored) attrs.push(`src="${escapeAttr(stored)}"`);
          else if (DATA_IMAGE.test(src)) attrs.push(`src="${escapeAttr(src.replace(/\s/g, ''))}"`);
          // Remote images are tracking pixels as often as content: they are not loaded.
        }
        out += `<${name}${attrs.length ? ` ${attrs.join(' ')}` : ''}>`;
        if (!VOID.has(name)) open.push(name);
      },
      ontext(text) {
        if (dropDepth === 0) out += escapeText(text);
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          if (!VOID.has(name)) dropDepth--;
          return;
        }
        if (!ALLOWED.has(name) || VOID.has(name)) return;
        const at = open.lastIndexOf(name);
        if (at < 0) return;
        while (open.length > at) out += `</${open.pop() ?? ''}>`;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  while (open.length > 0) out += `</${open.pop() ?? ''}>`;
  return out.trim();
}
