/** Writing and publishing articles through the staff API, for the knowledge-base tests. */
import { api, type TestGateway } from '../harness/gateway';

export interface ArticleView {
  id: string;
  slug: string;
  categoryId: string | null;
  translations: Record<
    string,
    {
      draft: { title: string; body: string } | null;
      published: { title: string; body: string } | null;
      state: string;
      helpful: number;
      notHelpful: number;
      url: string | null;
    }
  >;
}
export interface Hit {
  slug: string;
  title: string;
  snippet: string;
  url: string;
  locale: string;
}

export const kb = (gw: Pick<TestGateway, 'url'>, token: string) => ({
  create: (body: unknown) =>
    api<{ article: ArticleView; error: { code: string; message: string } }>(
      gw.url,
      token,
      'POST',
      '/knowledge/articles',
      body,
    ),
  update: (id: string, body: unknown) =>
    api<{ article: ArticleView; error: { code: string; message: string } }>(
      gw.url,
      token,
      'PATCH',
      `/knowledge/articles/${id}`,
      body,
    ),
  publish: (id: string, locale: string) =>
    api<{ article: ArticleView; error: { code: string } }>(
      gw.url,
      token,
      'POST',
      `/knowledge/articles/${id}/publish`,
      { locale },
    ),
  unpublish: (id: string, locale: string) =>
    api<{ article: ArticleView }>(gw.url, token, 'POST', `/knowledge/articles/${id}/unpublish`, { locale }),
  remove: (id: string) => api(gw.url, token, 'DELETE', `/knowledge/articles/${id}`),
  get: (id: string) => api<{ article: ArticleView }>(gw.url, token, 'GET', `/knowledge/articles/${id}`),
  list: () => api<{ articles: ArticleView[] }>(gw.url, token, 'GET', '/knowledge/articles'),
  search: (q: string, locale: string) =>
    api<{ articles: Hit[] }>(
      gw.url,
      token,
      'GET',
      `/knowledge/search?q=${encodeURIComponent(q)}&locale=${locale}`,
    ),
});

/** An article in both languages, published in both. */
export async function publishedArticle(
  gw: Pick<TestGateway, 'url'>,
  token: string,
  t: {
    slug?: string;
    en: { title: string; body: string };
    zh: { title: string; body: string };
    categoryId?: string;
  },
): Promise<ArticleView> {
  const k = kb(gw, token);
  const c = await k.create({
    slug: t.slug,
    categoryId: t.categoryId ?? null,
    translations: { en: t.en, 'zh-CN': t.zh },
  });
  if (c.status !== 201) throw new Error(`article not created: ${JSON.stringify(c.body)}`);
  await k.publish(c.body.article.id, 'en');
  return (await k.publish(c.body.article.id, 'zh-CN')).body.article;
}

/** The widget's public search, as any site calls it. */
export async function publicSearch(url: string, q: string, locale: string, extra = '') {
  const res = await fetch(`${url}/help/api/search?q=${encodeURIComponent(q)}&locale=${locale}${extra}`);
  return {
    status: res.status,
    body: (await res.json()) as { articles: Hit[]; error?: { message: string } },
    headers: res.headers,
  };
}
