/** Conversation search as a capability: the indexer that follows stored messages, and the search endpoint. */
import type { Logger } from 'pino';
import type { AgentAccess } from '../auth/access';
import type { Capability } from '../capability';
import type { Config } from '../config';
import type { Models } from '../domain/models';
import type { Notifier } from '../realtime/notifier';
import { searchRouter } from './http';
import { SearchIndexer } from './indexer';
import { blindTerms } from './terms';

export interface SearchDeps {
  models: Models;
  notifier: Notifier;
  access: AgentAccess;
  config: Config;
  logger: Logger;
}

export function createSearch(d: SearchDeps): Capability {
  const indexer = new SearchIndexer(
    d.models,
    d.config.search.indexDelayMs,
    blindTerms(d.config.keyring),
    d.logger,
  );
  d.notifier.onMessage((msg, conv) => indexer.message(msg, conv));
  let catchingUp: Promise<void> = Promise.resolve();
  return {
    api: [searchRouter(d.models, d.access, blindTerms(d.config.keyring))],
    start() {
      catchingUp = indexer
        .catchUp()
        .then((n) => d.logger.debug({ messages: n }, 'search index caught up'))
        .catch((err: unknown) => d.logger.error({ err }, 'search index catch-up failed'));
    },
    async close() {
      await indexer.close();
      await catchingUp;
    },
  };
}
