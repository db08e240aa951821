/**
 * Staff REST API of the knowledge base: everyone signed in reads and searches;
 * supervisors and admins write, publish and delete (each change audited).
 */
import express from 'express';
import { z } from 'zod';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { agentOf } from '../complaints/http';
import { objectId } from '../complaints/schemas';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { searchText } from '../text/query';
import type { Articles } from './articles';
import { knowledgeReport } from './report';
import {
  CreateArticle,
  CreateCategory,
  ListArticles,
  locale,
  Publish,
  UpdateArticle,
  UpdateCategory,
} from './schemas';
import type { KnowledgeSearch } from './search';
import { articleView, categoryView } from './views';

const StaffSearch = z.object({
  q: searchText,
  locale: locale.default('en'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
const ReportQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });

export function knowledgeRouter(
  models: Models,
  access: AgentAccess,
  audit: StaffAudit,
  articles: Articles,
  search: KnowledgeSearch,
) {
  const r = express.Router();
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const editors = requireRole(access, ['supervisor', 'admin']);
  const article = (id: string) => ({ kind: 'article', id });
  const category = (id: string) => ({ kind: 'article_category', id });

  r.get(
    '/knowledge/articles',
    staff,
    route(async (req, res) => {
      const q = parse(ListArticles, req.query);
      res.json({ articles: (await articles.list(q)).map(articleView) });
    }),
  );
  r.get(
    '/knowledge/search',
    staff,
    route(async (req, res) => {
      const q = parse(StaffSearch, req.query);
      res.json({ articles: await search.search(q.q, q.locale, q.limit) });
    }),
  );
  r.get(
    '/knowledge/report',
    editors,
    route(async (req, res) => {
      const q = parse(ReportQuery, req.query);
      res.json(await knowledgeReport(models, q.limit));
    }),
  );
  r.get(
    '/knowledge/articles/:id',
    staff,
    route(async (req, res) => {
      res.json({ article: articleView(await articles.get(parse(objectId, req.params.id))) });
    }),
  );
  r.post(
    '/knowledge/articles',
    editors,
    route(async (req, res) => {
      const b = parse(CreateArticle, req.body ?? {});
      const a = await articles.create(await agentOf(models, req), b);
      await audit.byRequest(req, {
        action: 'article.created',
        target: article(String(a._id)),
        details: { slug: a.slug, locales: Object.keys(b.translations) },
      });
      res.status(201).json({ article: articleView(a) });
    }),
  );
  r.patch(
    '/knowledge/articles/:id',
    editors,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(UpdateArticle, req.body ?? {});
      const a = await articles.update(await agentOf(models, req), id, b);
      await audit.byRequest(req, {
        action: 'article.updated',
        target: article(id),
        details: { fields: Object.keys(b), locales: Object.keys(b.translations ?? {}) },
      });
      res.json({ article: articleView(a) });
    }),
  );
  for (const [verb, action] of [
    ['publish', 'article.published'],
    ['unpublish', 'article.unpublished'],
  ] as const)
    r.post(
      `/knowledge/articles/:id/${verb}`,
      editors,
      route(async (req, res) => {
        const id = parse(objectId, req.params.id);
        const b = parse(Publish, req.body ?? {});
        const a =
          verb === 'publish' ? await articles.publish(id, b.locale) : await articles.unpublish(id, b.locale);
        await audit.byRequest(req, {
          action,
          target: article(id),
          details: { slug: a.slug, locale: b.locale },
        });
        res.json({ article: articleView(a) });
      }),
    );
  r.delete(
    '/knowledge/articles/:id',
    editors,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const a = await articles.remove(id);
      await audit.byRequest(req, {
        action: 'article.deleted',
        target: article(id),
        details: { slug: a.slug },
      });
      res.status(204).end();
    }),
  );

  r.get(
    '/knowledge/categories',
    staff,
    route(async (_req, res) => {
      res.json({ categories: (await articles.categories()).map(categoryView) });
    }),
  );
  r.post(
    '/knowledge/categories',
    editors,
    route(async (req, res) => {
      const c = await articles.createCategory(parse(CreateCategory, req.body ?? {}));
      await audit.byRequest(req, {
        action: 'article_category.created',
        target: category(String(c._id)),
        details: { slug: c.slug },
      });
      res.status(201).json({ category: categoryView(c) });
    }),
  );
  r.patch(
    '/knowledge/categories/:id',
    editors,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(UpdateCategory, req.body ?? {});
      const c = await articles.updateCategory(id, b);
      await audit.byRequest(req, {
        action: 'article_category.updated',
        target: category(id),
        details: { fields: Object.keys(b) },
      });
      res.json({ category: categoryView(c) });
    }),
  );
  r.delete(
    '/knowledge/categories/:id',
    editors,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const c = await articles.removeCategory(id);
      await audit.byRequest(req, {
        action: 'article_category.deleted',
        target: category(id),
        details: { slug: c.slug },
      });
      res.status(204).end();
    }),
  );
  return r;
}
