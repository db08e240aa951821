/** The REST calls of the Knowledge tab and the composer's article picker (API §20). */
import { request } from '../../api';

export type ArticleLocale = 'en' | 'zh-CN';
export const ARTICLE_LOCALES: ArticleLocale[] = ['en', 'zh-CN'];

export interface DraftText {
  title: string;
  body: string;
}
export interface ArticleTranslation {
  draft: (DraftText & { at: string; by: string | null }) | null;
  published: (DraftText & { at: string; by: string | null }) | null;
  state: 'draft' | 'published' | 'changed';
  helpful: number;
  notHelpful: number;
  url: string | null;
}
export interface Article {
  id: string;
  slug: string;
  categoryId: string | null;
  updatedAt: string;
  translations: Partial<Record<ArticleLocale, ArticleTranslation>>;
}
export interface ArticleHit {
  id: string;
  slug: string;
  locale: ArticleLocale;
  title: string;
  snippet: string;
  url: string;
}
export interface ArticleCategory {
  id: string;
  slug: string;
  names: { en: string; zh: string };
}
export interface RatedArticle {
  articleId: string;
  slug: string;
  locale: ArticleLocale;
  title: string;
  helpful: number;
  notHelpful: number;
  share: number;
  url: string;
}
export interface KnowledgeReport {
  mostHelpful: RatedArticle[];
  leastHelpful: RatedArticle[];
  searchesWithoutResults: { query: string; locale: ArticleLocale; count: number; lastAt: string }[];
}
export interface ArticleInput {
  slug?: string;
  categoryId?: string | null;
  translations: Partial<Record<ArticleLocale, DraftText>>;
}

const at = (id: string, verb = '') => `/api/knowledge/articles/${encodeURIComponent(id)}${verb}`;

export function knowledgeApi(token: string) {
  const send = <T>(method: string, path: string, body?: unknown) =>
    request<T>(path, token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const one = (p: Promise<{ article: Article }>) => p.then((r) => r.article);
  return {
    list: () => send<{ articles: Article[] }>('GET', '/api/knowledge/articles').then((r) => r.articles),
    categories: () =>
      send<{ categories: ArticleCategory[] }>('GET', '/api/knowledge/categories').then((r) => r.categories),
    search: (q: string, locale: ArticleLocale, limit = 8) =>
      send<{ articles: ArticleHit[] }>(
        'GET',
        `/api/knowledge/search?${new URLSearchParams({ q, locale, limit: String(limit) })}`,
      ).then((r) => r.articles),
    create: (b: ArticleInput) => one(send('POST', '/api/knowledge/articles', b)),
    update: (id: string, b: ArticleInput) => one(send('PATCH', at(id), b)),
    publish: (id: string, locale: ArticleLocale) => one(send('POST', at(id, '/publish'), { locale })),
    unpublish: (id: string, locale: ArticleLocale) => one(send('POST', at(id, '/unpublish'), { locale })),
    remove: (id: string) => send<null>('DELETE', at(id)),
    report: () => send<KnowledgeReport>('GET', '/api/knowledge/report?limit=5'),
  };
}

export type KnowledgeApi = ReturnType<typeof knowledgeApi>;

/** A language tag as the help centre has it (`zh`, `zh-Hans-CN` → `zh-CN`; `en-GB` → `en`), or null. */
export function articleLocale(tag: string | null | undefined): ArticleLocale | null {
  const l = tag?.trim().toLowerCase() ?? '';
  if (l.startsWith('zh')) return 'zh-CN';
  if (l === 'en' || l.startsWith('en-')) return 'en';
  return null;
}

/** The language a conversation is held in, as far as its customer's words tell: Chinese when they wrote in Han characters. */
export function conversationLocale(customerTexts: string[]): ArticleLocale | null {
  const last = customerTexts.filter((s) => s.trim()).at(-1);
  if (!last) return null;
  return /\p{Script=Han}/u.test(last) ? 'zh-CN' : 'en';
}

/** Searches both languages at once; an article found in both comes once, in `prefer` when it has it. */
export async function searchArticles(
  api: KnowledgeApi,
  q: string,
  prefer: 'en' | 'zh-CN',
  limit = 8,
): Promise<ArticleHit[]> {
  const found = await Promise.all(ARTICLE_LOCALES.map((l) => api.search(q, l, limit)));
  const byId = new Map<string, ArticleHit>();
  for (const hit of found.flat()) {
    const had = byId.get(hit.id);
    if (!had || (had.locale !== prefer && hit.locale === prefer)) byId.set(hit.id, hit);
  }
  return [...byId.values()].slice(0, limit);
}
