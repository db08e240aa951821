/**
 * The knowledge base (帮助中心): articles, each with an English and a Chinese translation
 * (as a help centre keeps translations of one article), each translation with its draft
 * and its published version; categories; the term index public search reads; and the
 * searches that found nothing.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import type { Locale } from '../domain/types';

export interface ArticleVersion {
  title: string;
  body: string;
  at: Date;
  by: Types.ObjectId | null;
}

/** One language of an article. Editing writes `draft`; publishing moves the draft to `published`. */
export interface ArticleTranslation {
  draft: ArticleVersion | null;
  published: ArticleVersion | null;
  helpful: number;
  notHelpful: number;
}

export interface ArticleDoc {
  _id: Types.ObjectId;
  /** Stable, ASCII; the public address `/help/<locale>/articles/<slug>`. */
  slug: string;
  categoryId: Types.ObjectId | null;
  translations: Partial<Record<Locale, ArticleTranslation>>;
  authorId: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const version = new Schema<ArticleVersion>(
  {
    title: { type: String, required: true },
    body: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { _id: false },
);
const translation = new Schema<ArticleTranslation>(
  {
    draft: { type: version, default: null },
    published: { type: version, default: null },
    helpful: { type: Number, default: 0 },
    notHelpful: { type: Number, default: 0 },
  },
  { _id: false },
);
const article = new Schema<ArticleDoc>(
  {
    slug: { type: String, required: true },
    categoryId: { type: Schema.Types.ObjectId, ref: 'ArticleCategory', default: null },
    translations: {
      en: { type: translation, default: undefined },
      'zh-CN': { type: translation, default: undefined },
    },
    authorId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { timestamps: true, minimize: false },
);
// The public page and the staff API find an article by its address.
article.index({ slug: 1 }, { unique: true });
// A category's page lists its articles.
article.index({ categoryId: 1 });

export interface ArticleCategoryDoc {
  _id: Types.ObjectId;
  slug: string;
  names: { en: string; zh: string };
  order: number;
  createdAt: Date;
  updatedAt: Date;
}

const category = new Schema<ArticleCategoryDoc>(
  {
    slug: { type: String, required: true },
    names: { en: { type: String, required: true }, zh: { type: String, required: true } },
    order: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// The category page by its address; unique so two categories cannot share one.
category.index({ slug: 1 }, { unique: true });

/** The terms of one published translation: what public and staff search read. */
export interface KnowledgeEntryDoc {
  /** `<articleId>:<locale>` */
  _id: string;
  articleId: Types.ObjectId;
  locale: Locale;
  terms: string[];
  /** The title's terms, so a title match ranks first. */
  titleTerms: string[];
  publishedAt: Date;
}

const entry = new Schema<KnowledgeEntryDoc>(
  {
    _id: { type: String, required: true },
    articleId: { type: Schema.Types.ObjectId, required: true },
    locale: { type: String, required: true },
    terms: { type: [String], default: [] },
    titleTerms: { type: [String], default: [] },
    publishedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// A search: the entries of a language holding every query term (multikey on terms).
entry.index({ locale: 1, terms: 1 });
// Unpublishing or deleting an article removes its entries.
entry.index({ articleId: 1 });

/** A search that found nothing, by language and normalised text. */
export interface KnowledgeMissDoc {
  /** `<locale>:<normalised query>` */
  _id: string;
  locale: Locale;
  query: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

const miss = new Schema<KnowledgeMissDoc>(
  {
    _id: { type: String, required: true },
    locale: { type: String, required: true },
    query: { type: String, required: true },
    count: { type: Number, default: 0 },
    firstAt: { type: Date, required: true },
    lastAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// The report: the most frequent misses.
miss.index({ count: -1 });

export const registerArticle = (db: Connection) => db.model<ArticleDoc>('Article', article);
export const registerArticleCategory = (db: Connection) =>
  db.model<ArticleCategoryDoc>('ArticleCategory', category);
export const registerKnowledgeEntry = (db: Connection) =>
  db.model<KnowledgeEntryDoc>('KnowledgeEntry', entry);
export const registerKnowledgeMiss = (db: Connection) => db.model<KnowledgeMissDoc>('KnowledgeMiss', miss);
