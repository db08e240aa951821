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
import { createPrivacy } from './privacy';
import type { ServiceManagementDeps } from './service-management';

export interface CapabilityDeps extends ServiceManagementDeps {
  calendars: CalendarStore;
  redis: Redis;
  audit: StaffAudit;
  /** This process's cached copies of a contact go (it was changed or erased). */
  contactChanged?: (contactId: string) => void;
}

export function createCapabilities(d: CapabilityDeps): Capability[] {
  return [{ api: [auditRouter(d.models, d.access)] }, createPrivacy(d)];
}
