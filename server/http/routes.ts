/**
 * The HTTP surface in one place and order: security headers, health and guarded metrics,
 * attachments, the REST API (JSON bodies, plain query strings, a JSON 404), the rating
 * pages, the channels' webhooks and the browser assets (widget, demo page, console), then
 * the one error handler.
 */
import path from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { Channel } from '../domain/channel';
import { errorHandler, plainQuery } from './errors';
import { noSniff, pageHeaders } from './security';

export interface HttpSurface {
  logger: Logger;
  health: Router;
  metrics: RequestHandler;
  attachments: Router;
  /** Routers under `/api`, each at its sub-path ('' for the root). */
  api: [string, Router][];
  /** Public pages outside the API. */
  pages: [string, Router][];
  channels: Channel[];
}

export function mountHttp(web: Express, s: HttpSurface): void {
  web.use(noSniff);
  web.use('/', s.health);
  // The gateway's own address opens the agent console.
  web.get('/', (_req, res) => res.redirect(302, '/console/'));
  web.get('/metrics', s.metrics);
  web.use('/attachments', s.attachments);
  web.use('/api', plainQuery, express.json({ limit: '256kb' }));
  for (const [at, r] of s.api) web.use(`/api${at}`, r);
  for (const [at, r] of s.pages) web.use(at, r);
  for (const c of s.channels) if (c.router) web.use(`/channels/${c.kind}`, c.router);
  const root = path.resolve(__dirname, '../..');
  web.get('/widget.js', (_req, res) => res.sendFile(path.join(root, 'widget/dist/widget.js')));
  web.use('/demo', pageHeaders({ inlineStyles: true }), express.static(path.join(root, 'widget/dist/demo')));
  web.use('/console', pageHeaders(), express.static(path.join(root, 'console/dist')));
  web.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such endpoint.' } });
  });
  web.use(errorHandler(s.logger));
}
