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
import { searchText } from '../text/query';

const Query = z.object({
  q: searchText,
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
