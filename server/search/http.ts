/** REST API of conversation search. */
import express from 'express';
import type { Blind } from './terms';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import { agentOf } from '../complaints/http';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { ConversationSearch } from './query';

const Query = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'type something to search for')
    .max(200, 'at most 200 characters')
    .refine(
      (q) => ![...q].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    ),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export function searchRouter(models: Models, access: AgentAccess, blind: Blind) {
  const r = express.Router();
  const search = new ConversationSearch(models, blind);
  r.get(
    '/search',
    requireRole(access, ['agent', 'supervisor', 'admin']),
    route(async (req, res) => {
      const p = parse(Query, req.query);
      res.json({ results: await search.search(await agentOf(models, req), p.q, p.limit) });
    }),
  );
  return r;
}
