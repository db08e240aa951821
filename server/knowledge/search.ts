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

/**
 * Words of how a question is asked rather than what it is about, in English and as
 * Chinese character pairs; a customer's question is matched on the rest.
 */
const COMMON = new Set([
  ...(
    'a an the i me my you your we our us is are was were be been am do does did can could will would should ' +
    'how what when where why who which to of in on at for from with and or but not it its this that there ' +
    'get got have has had want need please hi hello thanks thank any some so if about'
  ).split(' '),
  ...'怎么 如何 可以 请问 什么 我想 你们 我们 一下 是否 能否 的话 这个 那个 一个 没有 已经 您好 你好 谢谢'.split(
    ' ',
  ),
]);

/** The form a search is counted under: folded, lower-case, single spaces. */
export const normalisedQuery = (q: string) =>
  q.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);

export class KnowledgeSearch {
  constructor(
    private readonly models: Models,
    private readonly now: () => Date,
  ) {}

  /**
   * `all`: every term of `q` must be in the article (the help centre's search box, staff).
   * `any`: a question as a customer writes it ("can I get a refund?"): articles holding any
   * of its telling terms, those holding more and rarer ones first (the widget's suggestions).
   */
  async search(q: string, locale: Locale, limit: number, mode: 'all' | 'any' = 'all'): Promise<ArticleHit[]> {
    const words = mode === 'all' ? queryWords(q) : queryWords(q).filter((w) => !COMMON.has(w));
    if (words.length === 0) return [];
    const entries = await this.models.KnowledgeEntry.find(
      { locale, terms: mode === 'all' ? { $all: words } : { $in: words } },
      { articleId: 1, titleTerms: 1, publishedAt: 1, ...(mode === 'any' ? { terms: 1 } : {}) },
    )
      .limit(ENTRY_LIMIT)
      .lean<KnowledgeEntryDoc[]>();
    if (entries.length === 0) return [];
    const weight = mode === 'any' ? await this.rarity(locale, words, entries) : () => 1;
    const articles = await this.models.Article.find({
      _id: { $in: entries.map((e) => e.articleId) },
    }).lean<ArticleDoc[]>();
    const byId = new Map(articles.map((a) => [String(a._id), a]));
    const ranked = entries
      .map((e) => {
        const a = byId.get(String(e.articleId));
        const t = a?.translations[locale];
        const held = mode === 'any' ? words.filter((w) => e.terms.includes(w)) : words;
        const match = held.reduce((sum, w) => sum + weight(w) * (e.titleTerms.includes(w) ? 2 : 1), 0);
        const votes = (t?.helpful ?? 0) - (t?.notHelpful ?? 0);
        return { a, t, match, votes, at: e.publishedAt.getTime() };
      })
      .filter((x) => x.a && x.t?.published)
      .sort((x, y) => y.match - x.match || y.votes - x.votes || y.at - x.at)
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

  /** How telling each term is: rarer among the language's articles weighs more (inverse document frequency). */
  private async rarity(locale: Locale, words: string[], entries: KnowledgeEntryDoc[]) {
    const total = await this.models.KnowledgeEntry.countDocuments({ locale });
    const holding = new Map(words.map((w) => [w, entries.filter((e) => e.terms.includes(w)).length]));
    return (w: string) => Math.log(1 + total / Math.max(1, holding.get(w) ?? 1));
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
