/** Builds the service-level engine and what it stands on: policy rules, timers, targets and calendars. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { ConversationLocks } from '../domain/lock';
import type { InboxDirectory } from '../cache/inboxes';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Metrics } from '../observability/metrics';
import { defaultPolicy } from '../policy/defaults';
import { PolicyStore } from '../policy/store';
import type { Notifier } from '../realtime/notifier';
import { SlaEngine } from './engine';
import { ALWAYS_OPEN_CALENDARS, Targets, type CalendarSource } from './targets';
import { SlaTimers } from './timers';

export interface ServiceLevelDeps {
  config: Config;
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  notifier: Notifier;
  metrics: Metrics;
  calendars: CalendarSource | undefined;
  inboxes: InboxDirectory;
  now: () => Date;
  logger: Logger;
}

export function createServiceLevels(d: ServiceLevelDeps) {
  const policies = new PolicyStore(d.models, defaultPolicy(d.config.sla), d.now, d.config.cacheMaxAgeMs);
  const timers = new SlaTimers(d.config.redis, d.config.redisPrefix, d.now, d.logger);
  const targets = new Targets(d.inboxes, policies, d.calendars ?? ALWAYS_OPEN_CALENDARS);
  const sla = new SlaEngine({ ...d, timers, defaults: d.config.sla, targets });
  return { sla, policies, timers };
}
