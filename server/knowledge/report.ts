/** The knowledge-base report: the most and least helpful translations, and the searches that found nothing. */
import type { Models } from '../domain/models';
import { LOCALES } from '../domain/types';
import type { ArticleDoc, KnowledgeMissDoc } from './model';
import { articlePath } from './views';

export interface HelpfulnessRow {
  articleId: string;
  slug: string;
  locale: (typeof LOCALES)[number];
  title: string;
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + notHelpful); null without votes. */
  share: number | null;
  url: string;
}

export async function knowledgeReport(models: Models, limit: number) {
  const articles = await models.Article.find().limit(5000).lean<ArticleDoc[]>();
  const rows: HelpfulnessRow[] = [];
  for (const a of articles)
    for (const l of LOCALES) {
      const t = a.translations[l];
      if (!t?.published) continue;
      const votes = t.helpful + t.notHelpful;
      rows.push({
        articleId: String(a._id),
        slug: a.slug,
        locale: l,
        title: t.published.title,
        helpful: t.helpful,
        notHelpful: t.notHelpful,
        share: votes ? t.helpful / votes : null,
        url: articlePath(l, a.slug),
      });
    }
  const voted = rows.filter((r) => r.share !== null);
  const byHelpful = (x: HelpfulnessRow, y: HelpfulnessRow) => y.share! - x.share! || y.helpful - x.helpful;
  const byUnhelpful = (x: HelpfulnessRow, y: HelpfulnessRow) =>
    x.share! - y.share! || y.notHelpful - x.notHelpful;
  const misses = await models.KnowledgeMiss.find()
    .sort({ count: -1, lastAt: -1 })
    .limit(limit)
    .lean<KnowledgeMissDoc[]>();
  return {
    mostHelpful: [...voted].sort(byHelpful).slice(0, limit),
    leastHelpful: [...voted].sort(byUnhelpful).slice(0, limit),
    searchesWithoutResults: misses.map((m) => ({
      query: m.query,
      locale: m.locale,
      count: m.count,
      firstAt: m.firstAt.toISOString(),
      lastAt: m.lastAt.toISOString(),
    })),
  };
}
