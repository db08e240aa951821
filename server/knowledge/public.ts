/**
 * The help centre without a login: its pages under `/help` and the JSON search the widget
 * calls from customers' sites (`GET /help/api/search`). Only published versions are ever
 * shown or found. See docs/api.md §20.
 */
import express, { type Request, type Response } from 'express';
import { DomainError } from '../domain/errors';
import type { Models } from '../domain/models';
import { LOCALES, type Locale } from '../domain/types';
import { anyOrigin } from '../http/cors';
import { plainPageHeaders } from '../http/security';
import { parse, plainQuery, route } from '../http/errors';
import { pickLocale } from '../../ui/locale';
import type { ArticleCategoryDoc, ArticleDoc } from './model';
import { articlePage, categoryPage, indexPage, notFoundPage, searchPage } from './pages';
import { searchText } from '../text/query';
import { PublicSearch, Vote } from './schemas';
import type { KnowledgeSearch } from './search';
import { helpText } from './texts';
import type { ArticleVotes } from './votes';

/** Published in `locale`. */
const published = (locale: Locale) => ({ [`translations.${locale}.published`]: { $ne: null } });
const isLocale = (s: string): s is Locale => (LOCALES as readonly string[]).includes(s);

export interface HelpCentreDeps {
  models: Models;
  search: KnowledgeSearch;
  votes: ArticleVotes;
  publicUrl: string | undefined;
}

export function helpPagesRouter(d: HelpCentreDeps) {
  const r = express.Router();
  r.use(plainPageHeaders);
  r.use(express.urlencoded({ extended: false, limit: '4kb' }));
  const base = (req: Request) =>
    d.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const send = (res: Response, status: number, html: string, cache = true) => {
    res.setHeader('Cache-Control', cache && status === 200 ? 'public, max-age=60' : 'no-store');
    res.status(status).type('html').send(html);
  };
  const localeOf = (req: Request, res: Response): Locale | null => {
    const l = String(req.params.locale);
    if (isLocale(l)) return l;
    send(res, 404, notFoundPage(base(req), 'en'));
    return null;
  };
  const articleOf = async (locale: Locale, slug: string) =>
    d.models.Article.findOne({ slug: String(slug).toLowerCase(), ...published(locale) }).lean<ArticleDoc>();

  r.get('/', (req, res) => {
    const l = pickLocale(
      null,
      (req.headers['accept-language'] ?? '').split(',').map((x) => x.trim()),
    );
    res.redirect(302, `/help/${l}/`);
  });
  r.get(
    '/:locale/',
    route(async (req, res) => {
      const locale = localeOf(req, res);
      if (!locale) return;
      if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `/help/${locale}/`);
      const [categories, articles] = await Promise.all([
        d.models.ArticleCategory.find().sort({ order: 1, slug: 1 }).lean<ArticleCategoryDoc[]>(),
        d.models.Article.find(published(locale)).sort({ slug: 1 }).limit(1000).lean<ArticleDoc[]>(),
      ]);
      send(res, 200, indexPage(base(req), locale, categories, articles));
    }),
  );
  r.get(
    '/:locale/categories/:slug',
    route(async (req, res) => {
      const locale = localeOf(req, res);
      if (!locale) return;
      const c = await d.models.ArticleCategory.findOne({
        slug: String(req.params.slug).toLowerCase(),
      }).lean<ArticleCategoryDoc>();
      if (!c) return send(res, 404, notFoundPage(base(req), locale));
      const articles = await d.models.Article.find({ categoryId: c._id, ...published(locale) })
        .sort({ slug: 1 })
        .lean<ArticleDoc[]>();
      send(res, 200, categoryPage(base(req), locale, c, articles));
    }),
  );
  const showArticle = async (
    req: Request,
    res: Response,
    status = 200,
    outcome?: { note?: string; error?: string },
  ) => {
    const locale = localeOf(req, res);
    if (!locale) return null;
    const a = await articleOf(locale, String(req.params.slug));
    if (!a) {
      send(res, 404, notFoundPage(base(req), locale));
      return null;
    }
    const c = a.categoryId
      ? await d.models.ArticleCategory.findById(a.categoryId).lean<ArticleCategoryDoc>()
      : null;
    send(res, status, articlePage(base(req), locale, a, c, outcome), !outcome);
    return { a, locale };
  };
  r.get(
    '/:locale/articles/:slug',
    route(async (req, res) => {
      await showArticle(req, res);
    }),
  );
  r.post(
    '/:locale/articles/:slug/votes',
    route(async (req, res) => {
      const locale = localeOf(req, res);
      if (!locale) return;
      const t = helpText(locale);
      const a = await articleOf(locale, String(req.params.slug));
      if (!a) return send(res, 404, notFoundPage(base(req), locale));
      const form = Vote.safeParse(req.body);
      if (!form.success) return void (await showArticle(req, res, 400, { error: t('badVote') }));
      try {
        await d.votes.vote(a, locale, form.data.helpful === 'yes', req.ip ?? 'unknown');
      } catch (err) {
        if (!(err instanceof DomainError) || err.status >= 500) throw err;
        const error = err.code === 'already_voted' ? t('alreadyVoted') : t('tooManyVotes');
        return void (await showArticle(req, res, err.status, { error }));
      }
      await showArticle(req, res, 200, { note: t('thanks') });
    }),
  );
  r.get(
    '/:locale/search',
    route(async (req, res) => {
      const locale = localeOf(req, res);
      if (!locale) return;
      const q = searchText.safeParse(req.query.q);
      if (!q.success) return res.redirect(302, `/help/${locale}/`);
      const hits = await d.search.search(q.data, locale, 20);
      if (hits.length === 0) await d.search.miss(q.data, locale);
      send(res, 200, searchPage(base(req), locale, q.data, hits), false);
    }),
  );
  return r;
}

/** `GET /help/api/search`: the widget's suggestions, from any site. */
export function helpSearchRouter(search: KnowledgeSearch) {
  const r = express.Router();
  r.use(anyOrigin, plainQuery);
  r.get(
    '/search',
    route(async (req, res) => {
      const p = parse(PublicSearch, req.query);
      const articles = await search.search(p.q, p.locale, p.limit, 'any');
      if (articles.length === 0 && p.final) await search.miss(p.q, p.locale);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ articles });
    }),
  );
  return r;
}
