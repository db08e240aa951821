/** How articles and categories look in the staff API and to the public. */
import type { Locale } from '../domain/types';
import { LOCALES } from '../domain/types';
import type { ArticleCategoryDoc, ArticleDoc, ArticleTranslation, ArticleVersion } from './model';

/** The public address of a translation, from the help centre's root. */
export const articlePath = (locale: Locale, slug: string) => `/help/${locale}/articles/${slug}`;
export const categoryPath = (locale: Locale, slug: string) => `/help/${locale}/categories/${slug}`;

const versionView = (v: ArticleVersion | null) =>
  v ? { title: v.title, body: v.body, at: v.at.toISOString(), by: v.by ? String(v.by) : null } : null;

function translationView(locale: Locale, slug: string, t: ArticleTranslation) {
  return {
    draft: versionView(t.draft),
    published: versionView(t.published),
    /** `draft`: never published; `published`; `changed`: published, with a newer draft. */
    state: t.published ? (t.draft ? 'changed' : 'published') : 'draft',
    helpful: t.helpful,
    notHelpful: t.notHelpful,
    url: t.published ? articlePath(locale, slug) : null,
  };
}

export function articleView(a: ArticleDoc) {
  const translations: Partial<Record<Locale, ReturnType<typeof translationView>>> = {};
  for (const l of LOCALES) {
    const t = a.translations?.[l];
    if (t) translations[l] = translationView(l, a.slug, t);
  }
  return {
    id: String(a._id),
    slug: a.slug,
    categoryId: a.categoryId ? String(a.categoryId) : null,
    authorId: a.authorId ? String(a.authorId) : null,
    translations,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export const categoryView = (c: ArticleCategoryDoc) => ({
  id: String(c._id),
  slug: c.slug,
  names: c.names,
  order: c.order,
});

/** A category's name in a language. */
export const categoryName = (c: ArticleCategoryDoc, locale: Locale) =>
  locale === 'zh-CN' ? c.names.zh : c.names.en;
