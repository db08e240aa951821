/**
 * The help centre's server-rendered pages: the index of a language, a category, an
 * article (with its "Was this helpful?" form) and search results. Each has a real title,
 * a meta description, a canonical address, its `lang` and links to its translation
 * (hreflang); everything shown is escaped; the pages load nothing else and work without
 * JavaScript.
 */
import type { Locale } from '../domain/types';
import { LOCALES } from '../domain/types';
import { escapeHtml as esc } from '../text/html';
import type { ArticleCategoryDoc, ArticleDoc } from './model';
import { clip, plainText, renderBody } from './render';
import type { ArticleHit } from './search';
import { helpText } from './texts';
import { articlePath, categoryName, categoryPath } from './views';

const STYLE = `
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff}header div,main{max-width:48rem;margin:0 auto;padding:1rem 1.25rem}
header div{display:flex;justify-content:space-between;align-items:center}header a{color:#fff;text-decoration:none;font-weight:600}
main{background:#fff;margin:1.5rem auto;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.06);padding:1.5rem 2rem}
h1{font-size:1.6rem;line-height:1.3;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#2455c3}nav.crumbs{font-size:.9rem;color:#5b6473}p.meta{color:#5b6473;font-size:.9rem}
form.search{display:flex;gap:.5rem;margin:0 0 1.5rem}form.search input{flex:1;padding:.6rem .8rem;border:1px solid #ccd2dc;border-radius:8px;font:inherit}
button{padding:.6rem 1.2rem;border:0;border-radius:8px;background:#2f6fed;color:#fff;font:inherit;font-weight:600;cursor:pointer}
ul.articles{padding-left:1.2rem}ul.articles li{margin:.35rem 0}p.snippet{margin:.15rem 0 .8rem;color:#5b6473;font-size:.95rem}
section.vote{margin-top:2rem;padding-top:1rem;border-top:1px solid #e3e6eb}section.vote form{display:inline-flex;gap:.5rem}
section.vote button.no{background:#5b6473}p.note{padding:.6rem .9rem;border-radius:8px;background:#eaf7ee;color:#185c2d}
p.error{padding:.6rem .9rem;border-radius:8px;background:#fdecec;color:#8a1f1f}code{background:#f0f2f5;padding:0 .25rem;border-radius:4px}
`;

export interface PageFrame {
  locale: Locale;
  /** The gateway's public address, for canonical and alternate links. */
  base: string;
  title: string;
  description: string;
  /** Path of this page; null for pages search engines should not index. */
  path: string | null;
  /** The same page in each language it exists in. */
  alternates: Partial<Record<Locale, string>>;
}

function layout(f: PageFrame, body: string): string {
  const t = helpText(f.locale);
  const other = LOCALES.find((l) => l !== f.locale)!;
  const links = [
    f.path
      ? `<link rel="canonical" href="${esc(f.base + f.path)}">`
      : '<meta name="robots" content="noindex">',
    ...Object.entries(f.alternates).map(
      ([l, p]) => `<link rel="alternate" hreflang="${esc(l)}" href="${esc(f.base + p)}">`,
    ),
    f.alternates.en
      ? `<link rel="alternate" hreflang="x-default" href="${esc(f.base + f.alternates.en)}">`
      : '',
  ].join('');
  const switchTo = f.alternates[other] ?? `/help/${other}/`;
  return (
    `<!doctype html><html lang="${f.locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(f.title)}</title><meta name="description" content="${esc(f.description)}">${links}` +
    `<style>${STYLE}</style></head><body>` +
    `<header><div><a href="/help/${f.locale}/">${esc(t('siteTitle'))}</a>` +
    `<a href="${esc(switchTo)}" hreflang="${other}" lang="${other}" data-testid="other-language">${esc(t('otherLanguage'))}</a></div></header>` +
    `<main>${body}</main></body></html>`
  );
}

function searchForm(locale: Locale, q = ''): string {
  const t = helpText(locale);
  return (
    `<form class="search" role="search" method="get" action="/help/${locale}/search">` +
    `<input type="search" name="q" value="${esc(q)}" aria-label="${esc(t('searchLabel'))}" placeholder="${esc(t('searchPlaceholder'))}" maxlength="200">` +
    `<button type="submit">${esc(t('searchButton'))}</button></form>`
  );
}

const titleOf = (a: ArticleDoc, l: Locale) => a.translations[l]?.published?.title ?? '';
const list = (locale: Locale, articles: ArticleDoc[]) =>
  `<ul class="articles">${articles.map((a) => `<li><a href="${esc(articlePath(locale, a.slug))}">${esc(titleOf(a, locale))}</a></li>`).join('')}</ul>`;

const home = () => Object.fromEntries(LOCALES.map((l) => [l, `/help/${l}/`])) as Record<Locale, string>;

export function indexPage(
  base: string,
  locale: Locale,
  categories: ArticleCategoryDoc[],
  articles: ArticleDoc[],
): string {
  const t = helpText(locale);
  const groups = [
    ...categories.map((c) => ({ c, items: articles.filter((a) => String(a.categoryId) === String(c._id)) })),
    {
      c: null,
      items: articles.filter((a) => !categories.some((c) => String(c._id) === String(a.categoryId))),
    },
  ].filter((g) => g.items.length > 0);
  const body = groups.length
    ? groups
        .map((g) =>
          g.c
            ? `<h2><a href="${esc(categoryPath(locale, g.c.slug))}">${esc(categoryName(g.c, locale))}</a></h2>${list(locale, g.items)}`
            : `<h2>${esc(t('uncategorised'))}</h2>${list(locale, g.items)}`,
        )
        .join('')
    : `<p>${esc(t('empty'))}</p>`;
  return layout(
    {
      locale,
      base,
      title: t('siteTitle'),
      description: t('description'),
      path: `/help/${locale}/`,
      alternates: home(),
    },
    `<h1>${esc(t('siteTitle'))}</h1>${searchForm(locale)}${body}`,
  );
}

export function categoryPage(
  base: string,
  locale: Locale,
  c: ArticleCategoryDoc,
  articles: ArticleDoc[],
): string {
  const t = helpText(locale);
  const name = categoryName(c, locale);
  return layout(
    {
      locale,
      base,
      title: `${name} – ${t('siteTitle')}`,
      description: `${name}: ${t('articlesIn', { n: articles.length })}`,
      path: categoryPath(locale, c.slug),
      alternates: Object.fromEntries(LOCALES.map((l) => [l, categoryPath(l, c.slug)])),
    },
    `<nav class="crumbs"><a href="/help/${locale}/">${esc(t('home'))}</a></nav><h1>${esc(name)}</h1>` +
      (articles.length ? list(locale, articles) : `<p>${esc(t('empty'))}</p>`),
  );
}

export function articlePage(
  base: string,
  locale: Locale,
  a: ArticleDoc,
  category: ArticleCategoryDoc | null,
  outcome?: { note?: string; error?: string },
): string {
  const t = helpText(locale);
  const p = a.translations[locale]!.published!;
  const alternates: Partial<Record<Locale, string>> = {};
  for (const l of LOCALES) if (a.translations[l]?.published) alternates[l] = articlePath(l, a.slug);
  const date = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(p.at);
  const crumbs =
    `<nav class="crumbs"><a href="/help/${locale}/">${esc(t('home'))}</a>` +
    (category
      ? ` › <a href="${esc(categoryPath(locale, category.slug))}">${esc(categoryName(category, locale))}</a>`
      : '') +
    `</nav>`;
  const said = outcome?.note
    ? `<p class="note" role="status">${esc(outcome.note)}</p>`
    : outcome?.error
      ? `<p class="error" role="alert">${esc(outcome.error)}</p>`
      : '';
  const vote =
    `<section class="vote" data-testid="vote"><p>${esc(t('helpful'))}</p>${said}` +
    (outcome?.note
      ? ''
      : `<form method="post" action="${esc(articlePath(locale, a.slug))}/votes">` +
        `<button type="submit" name="helpful" value="yes">${esc(t('yes'))}</button>` +
        `<button type="submit" name="helpful" value="no" class="no">${esc(t('no'))}</button></form>`) +
    `</section>`;
  return layout(
    {
      locale,
      base,
      title: `${p.title} – ${t('siteTitle')}`,
      description: clip(plainText(p.body), 155),
      path: articlePath(locale, a.slug),
      alternates,
    },
    `${crumbs}<article><h1>${esc(p.title)}</h1><p class="meta">${esc(t('updated', { date }))}</p>${renderBody(p.body)}</article>${vote}`,
  );
}

export function searchPage(base: string, locale: Locale, q: string, hits: ArticleHit[]): string {
  const t = helpText(locale);
  const results = hits.length
    ? `<ul class="articles" data-testid="results">${hits.map((h) => `<li><a href="${esc(h.url)}">${esc(h.title)}</a><p class="snippet">${esc(h.snippet)}</p></li>`).join('')}</ul>`
    : `<p>${esc(t('noResults', { q }))}</p>`;
  return layout(
    {
      locale,
      base,
      title: `${t('resultsFor', { q })} – ${t('siteTitle')}`,
      description: t('description'),
      path: null,
      alternates: {},
    },
    `<nav class="crumbs"><a href="/help/${locale}/">${esc(t('home'))}</a></nav>${searchForm(locale, q)}<h1>${esc(t('resultsFor', { q }))}</h1>${results}`,
  );
}

export function notFoundPage(base: string, locale: Locale): string {
  const t = helpText(locale);
  return layout(
    { locale, base, title: t('siteTitle'), description: t('description'), path: null, alternates: {} },
    `<h1>${esc(t('siteTitle'))}</h1><p class="error">${esc(t('notFound'))}</p>${searchForm(locale)}`,
  );
}
