/**
 * Writing articles and categories: drafts per language, publishing (the draft replaces the
 * published version and the article's terms enter the search index), unpublishing and
 * deleting (its terms leave it).
 */
import { Types } from 'mongoose';
import type { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { LOCALES, type Locale } from '../domain/types';
import { terms } from '../text/tokenize';
import type { ArticleCategoryDoc, ArticleDoc, ArticleTranslation, ArticleVersion } from './model';
import type { CreateArticle, CreateCategory, UpdateArticle, UpdateCategory } from './schemas';

const EMPTY: ArticleTranslation = { draft: null, published: null, helpful: 0, notHelpful: 0 };

/** An address from an English title ("How to ask for a refund?" → how-to-ask-for-a-refund). */
export function slugOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export class Articles {
  constructor(
    private readonly models: Models,
    private readonly now: () => Date,
  ) {}

  async list(filter: { categoryId?: string }): Promise<ArticleDoc[]> {
    return this.models.Article.find(filter.categoryId ? { categoryId: filter.categoryId } : {})
      .sort({ updatedAt: -1 })
      .limit(1000)
      .lean<ArticleDoc[]>();
  }

  async get(id: string): Promise<ArticleDoc> {
    const a = await this.models.Article.findById(id).lean<ArticleDoc>();
    if (!a) throw new NotFound('The article');
    return a;
  }

  async create(me: AgentDoc, b: z.output<typeof CreateArticle>): Promise<ArticleDoc> {
    await this.checkCategory(b.categoryId);
    const _id = new Types.ObjectId();
    const translations: Partial<Record<Locale, ArticleTranslation>> = {};
    for (const l of LOCALES) {
      const t = b.translations[l];
      if (t) translations[l] = { ...EMPTY, draft: this.version(me, t) };
    }
    const fromTitle = b.translations.en ? slugOf(b.translations.en.title) : '';
    const slug = b.slug ?? (fromTitle || `article-${String(_id).slice(-6)}`);
    try {
      const a = await this.models.Article.create({
        _id,
        slug,
        categoryId: b.categoryId,
        translations,
        authorId: me._id,
      });
      return a.toObject<ArticleDoc>();
    } catch (err) {
      if (isDuplicateKey(err))
        throw new Conflict('slug_taken', `Another article already has the address "${slug}".`);
      throw err;
    }
  }

  /** Changes the address or category, and writes drafts (a published version stays until published over). */
  async update(me: AgentDoc, id: string, b: z.output<typeof UpdateArticle>): Promise<ArticleDoc> {
    const a = await this.get(id);
    if (b.categoryId !== undefined) await this.checkCategory(b.categoryId);
    const set: Record<string, unknown> = {};
    if (b.slug !== undefined) set.slug = b.slug;
    if (b.categoryId !== undefined) set.categoryId = b.categoryId;
    for (const l of LOCALES) {
      const t = b.translations?.[l];
      if (!t) continue;
      if (a.translations[l]) set[`translations.${l}.draft`] = this.version(me, t);
      else set[`translations.${l}`] = { ...EMPTY, draft: this.version(me, t) };
    }
    try {
      const next = await this.models.Article.findByIdAndUpdate(
        id,
        { $set: set },
        { new: true },
      ).lean<ArticleDoc>();
      if (!next) throw new NotFound('The article');
      return next;
    } catch (err) {
      if (isDuplicateKey(err))
        throw new Conflict('slug_taken', `Another article already has the address "${b.slug}".`);
      throw err;
    }
  }

  /** The draft of one language becomes its published version. */
  async publish(id: string, locale: Locale): Promise<ArticleDoc> {
    const a = await this.get(id);
    const draft = a.translations[locale]?.draft;
    if (!draft) throw new Conflict('no_draft', 'This language has no draft to publish; edit it first.');
    const next = await this.models.Article.findOneAndUpdate(
      { _id: id, [`translations.${locale}.draft.at`]: draft.at },
      {
        $set: {
          [`translations.${locale}.published`]: { ...draft, at: this.now() },
          [`translations.${locale}.draft`]: null,
        },
      },
      { new: true },
    ).lean<ArticleDoc>();
    if (!next) throw new Conflict('draft_changed', 'The draft changed while it was published; try again.');
    await this.index(next, locale);
    return next;
  }

  /** The published version of one language goes off the help centre; it is kept as the draft unless one exists. */
  async unpublish(id: string, locale: Locale): Promise<ArticleDoc> {
    const a = await this.get(id);
    const t = a.translations[locale];
    if (!t?.published) throw new Conflict('not_published', 'This language is not published.');
    const next = await this.models.Article.findByIdAndUpdate(
      id,
      {
        $set: {
          [`translations.${locale}.published`]: null,
          [`translations.${locale}.draft`]: t.draft ?? t.published,
        },
      },
      { new: true },
    ).lean<ArticleDoc>();
    await this.models.KnowledgeEntry.deleteOne({ _id: `${id}:${locale}` });
    return next ?? a;
  }

  async remove(id: string): Promise<ArticleDoc> {
    const a = await this.get(id);
    await this.models.KnowledgeEntry.deleteMany({ articleId: a._id });
    await this.models.Article.deleteOne({ _id: a._id });
    return a;
  }

  /** The search index entry of a published translation. */
  private async index(a: ArticleDoc, locale: Locale): Promise<void> {
    const p = a.translations[locale]?.published;
    if (!p) return;
    await this.models.KnowledgeEntry.updateOne(
      { _id: `${String(a._id)}:${locale}` },
      {
        $set: {
          articleId: a._id,
          locale,
          terms: terms(`${p.title}\n${p.body}`),
          titleTerms: terms(p.title),
          publishedAt: p.at,
        },
      },
      { upsert: true },
    );
  }

  private version(me: AgentDoc, t: { title: string; body: string }): ArticleVersion {
    return { title: t.title, body: t.body, at: this.now(), by: me._id };
  }

  private async checkCategory(id: string | null): Promise<void> {
    if (id && !(await this.models.ArticleCategory.exists({ _id: id })))
      throw new InvalidInput('categoryId: no such category');
  }

  // ---- categories ----

  async categories(): Promise<ArticleCategoryDoc[]> {
    return this.models.ArticleCategory.find().sort({ order: 1, slug: 1 }).lean<ArticleCategoryDoc[]>();
  }

  async createCategory(b: z.output<typeof CreateCategory>): Promise<ArticleCategoryDoc> {
    try {
      return (await this.models.ArticleCategory.create(b)).toObject<ArticleCategoryDoc>();
    } catch (err) {
      if (isDuplicateKey(err))
        throw new Conflict('slug_taken', `Another category already has the address "${b.slug}".`);
      throw err;
    }
  }

  async updateCategory(id: string, b: z.output<typeof UpdateCategory>): Promise<ArticleCategoryDoc> {
    try {
      const c = await this.models.ArticleCategory.findByIdAndUpdate(
        id,
        { $set: b },
        { new: true },
      ).lean<ArticleCategoryDoc>();
      if (!c) throw new NotFound('The category');
      return c;
    } catch (err) {
      if (isDuplicateKey(err))
        throw new Conflict('slug_taken', `Another category already has the address "${b.slug}".`);
      throw err;
    }
  }

  /** Its articles stay, without a category. */
  async removeCategory(id: string): Promise<ArticleCategoryDoc> {
    const c = await this.models.ArticleCategory.findByIdAndDelete(id).lean<ArticleCategoryDoc>();
    if (!c) throw new NotFound('The category');
    await this.models.Article.updateMany({ categoryId: c._id }, { $set: { categoryId: null } });
    return c;
  }
}
