/**
 * Privacy: erasure of a contact on request (admin API, audit log, tombstone) and the
 * retention of resolved conversations. Sealing customer data at rest is in the models
 * (`plugin.ts`, `specs.ts`) and the key rotation (`rotation.ts`, `npm run keys:rotate`).
 */
import type { Redis } from 'ioredis';
import type { StaffAudit } from '../audit/log';
import type { Capability } from '../capability';
import type { ServiceManagementDeps } from '../service-management';
import { Erasure } from './erasure';
import { erasureRouter } from './http';
import { Retention } from './retention';

export interface PrivacyDeps extends Pick<
  ServiceManagementDeps,
  'models' | 'access' | 'config' | 'now' | 'logger'
> {
  redis: Redis;
  audit: StaffAudit;
  contactChanged?: (contactId: string) => void;
}

export function createPrivacy(d: PrivacyDeps): Capability & { erasure: Erasure; retention: Retention } {
  const logger = d.logger.child({ capability: 'privacy' });
  const erasure = new Erasure({
    models: d.models,
    redis: d.redis,
    redisPrefix: d.config.redisPrefix,
    now: d.now,
    logger,
    contactChanged: d.contactChanged,
  });
  const retention = new Retention(
    { models: d.models, erasure, audit: d.audit, now: d.now, logger },
    d.config.retention,
  );
  return {
    erasure,
    retention,
    api: [erasureRouter(d.models, d.access, erasure, d.audit)],
    start: () => retention.start(),
    close: () => retention.close(),
  };
}
