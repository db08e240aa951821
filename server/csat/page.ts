/**
 * The rating page's HTML: a plain form (works without JavaScript), styled inline, in the
 * survey's language. Everything shown is escaped; the page loads nothing else.
 */
import type { Locale } from '../domain/types';
import { escapeHtml } from '../text/html';
import { pageWords } from './texts';

const escape = escapeHtml;

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.35rem;margin:0 0 1.25rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
legend{font-weight:600;margin-bottom:.5rem}
label.choice{display:flex;align-items:center;gap:.6rem;padding:.5rem .75rem;margin:.35rem 0;border:1px solid #d6dae1;border-radius:8px;cursor:pointer}
label.choice:has(input:checked){border-color:#2f6fed;background:#eef3ff}
textarea{width:100%;box-sizing:border-box;min-height:6rem;padding:.6rem;border:1px solid #d6dae1;border-radius:8px;font:inherit}
button{margin-top:1rem;padding:.7rem 1.4rem;border:0;border-radius:8px;background:#2f6fed;color:#fff;font:inherit;font-weight:600;cursor:pointer}
p.note{padding:.75rem 1rem;border-radius:8px;background:#eaf7ee;color:#185c2d}
p.error{padding:.75rem 1rem;border-radius:8px;background:#fdecec;color:#8a1f1f}
`;

function layout(locale: Locale, body: string): string {
  const w = pageWords(locale);
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escape(w.title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function ratingForm(
  locale: Locale,
  opts: { rating: number | null; comment: string | null; note?: string; error?: string },
): string {
  const w = pageWords(locale);
  const choices = w.scale
    .map((label, i) => {
      const n = i + 1;
      const checked = opts.rating === n ? ' checked' : '';
      return `<label class="choice"><input type="radio" name="rating" value="${n}" required${checked}> ${escape(label)}</label>`;
    })
    .join('');
  const note = opts.note ? `<p class="note" role="status">${escape(opts.note)}</p>` : '';
  const error = opts.error ? `<p class="error" role="alert">${escape(opts.error)}</p>` : '';
  return layout(
    locale,
    `<h1>${escape(w.heading)}</h1>${note}${error}<form method="post"><fieldset><legend>${escape(w.title)}</legend>${choices}</fieldset>` +
      `<label for="comment">${escape(w.comment)}</label><textarea id="comment" name="comment" maxlength="2000">${escape(opts.comment ?? '')}</textarea>` +
      `<button type="submit">${escape(w.send)}</button></form>`,
  );
}

export const notice = (locale: Locale, text: string): string =>
  layout(
    locale,
    `<h1>${escape(pageWords(locale).title)}</h1><p class="error" role="alert">${escape(text)}</p>`,
  );
