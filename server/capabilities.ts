/**
 * The service-management capabilities beside the conversation core, one entry each.
 * Each gets what it needs from the shared services here and hands back its routers,
 * socket events and lifecycle (see `capability.ts`).
 */
import type { Redis } from 'ioredis';
import { auditRouter } from './audit/http';
import type { StaffAudit } from './audit/log';
import type { CalendarStore } from './calendar/store';
import type { Capability } from './capability';
import { createQuality } from './quality';
import type { ServiceManagementDeps } from './service-management';

export interface CapabilityDeps extends ServiceManagementDeps {
  calendars: CalendarStore;
  redis: Redis;
  audit: StaffAudit;
}

export function createCapabilities(d: CapabilityDeps): Capability[] {
  return [{ api: [auditRouter(d.models, d.access)] }, createQuality(d)];
}
