/**
 * The knowledge base (帮助中心) as a capability: articles in English and Chinese with drafts
 * and published versions, the staff API, the public help centre under `/help`, the
 * widget's article suggestions and the helpfulness report. See docs/api.md §20.
 */
import type { Redis } from 'ioredis';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import type { Capability } from '../capability';
import type { Config } from '../config';
import type { Models } from '../domain/models';
import { Articles } from './articles';
import { knowledgeRouter } from './http';
import { helpPagesRouter, helpSearchRouter } from './public';
import { KnowledgeSearch } from './search';
import { ArticleVotes } from './votes';

export interface KnowledgeDeps {
  models: Models;
  access: AgentAccess;
  audit: StaffAudit;
  redis: Redis;
  config: Config;
  now: () => Date;
}

export function createKnowledge(d: KnowledgeDeps): Capability {
  const articles = new Articles(d.models, d.now);
  const search = new KnowledgeSearch(d.models, d.now);
  const votes = new ArticleVotes(d.models, d.redis, d.config.redisPrefix);
  return {
    api: [knowledgeRouter(d.models, d.access, d.audit, articles, search)],
    pages: [
      ['/help/api', helpSearchRouter(search)],
      ['/help', helpPagesRouter({ models: d.models, search, votes, publicUrl: d.config.publicUrl })],
    ],
  };
}
