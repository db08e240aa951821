/**
 * Searching published articles of one language through their term index: every query
 * term must be present (English by words; Chinese by character pairs, so 退款 is found
 * inside 如何申请退款). Title matches rank first, then the most helpful. A search that
 * finds nothing can be recorded for the report, by its normalised text.
 */
import type { Models } from '../domain/models';
import type { Locale } from '../domain/types';
import { queryWords } from '../text/query';
import { snippetOf } from '../text/snippet';
import type { ArticleDoc, KnowledgeEntryDoc } from './model';
import { plainText } from './render';
import { articlePath } from './views';

export interface ArticleHit {
  id: string;
  slug: string;
  locale: Locale;
  title: string;
  snippet: string;
  /** Path of the public page (from the gateway's root). */
  url: string;
}

const ENTRY_LIMIT = 200;

/** The form a search is counted under: folded, lower-case, single spaces. */
export const normalisedQuery = (q: string) =>
  q.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);

export class KnowledgeSearch {
  constructor(
    private readonly models: Models,
    private readonly now: () => Date,
  ) {}

  async search(q: string, locale: Locale, limit: number): Promise<ArticleHit[]> {
    const words = queryWords(q);
    if (words.length === 0) return [];
    const entries = await this.models.KnowledgeEntry.find(
      { locale, terms: { $all: words } },
      { articleId: 1, titleTerms: 1, publishedAt: 1 },
    )
      .limit(ENTRY_LIMIT)
      .lean<KnowledgeEntryDoc[]>();
    if (entries.length === 0) return [];
    const articles = await this.models.Article.find({ _id: { $in: entries.map((e) => e.articleId) } }).lean<
      ArticleDoc[]
    >();
    const byId = new Map(articles.map((a) => [String(a._id), a]));
    const ranked = entries
      .map((e) => {
        const a = byId.get(String(e.articleId));
        const t = a?.translations[locale];
        const inTitle = words.every((w) => e.titleTerms.includes(w));
        return {
          a,
          t,
          inTitle,
          score: (t?.helpful ?? 0) - (t?.notHelpful ?? 0),
          at: e.publishedAt.getTime(),
        };
      })
      .filter((x) => x.a && x.t?.published)
      .sort((x, y) => Number(y.inTitle) - Number(x.inTitle) || y.score - x.score || y.at - x.at)
      .slice(0, limit);
    return ranked.map(({ a, t }) => ({
      id: String(a!._id),
      slug: a!.slug,
      locale,
      title: t!.published!.title,
      snippet: snippetOf(plainText(t!.published!.body), words),
      url: articlePath(locale, a!.slug),
    }));
  }

  /** Counts a search that found nothing. */
  async miss(q: string, locale: Locale): Promise<void> {
    const query = normalisedQuery(q);
    if (!query) return;
    const at = this.now();
    await this.models.KnowledgeMiss.updateOne(
      { _id: `${locale}:${query}` },
      { $inc: { count: 1 }, $set: { lastAt: at, locale, query }, $setOnInsert: { firstAt: at } },
      { upsert: true },
    );
  }
}
