/**
 * The service-management capabilities beside the conversation core, one entry each.
 * Each gets what it needs from the shared services here and hands back its routers,
 * socket events and lifecycle (see `capability.ts`).
 */
import type { Redis } from 'ioredis';
import { auditRouter } from './audit/http';
import type { StaffAudit } from './audit/log';
import type { CalendarStore } from './calendar/store';
import { cannedRouter } from './canned/http';
import type { Capability } from './capability';
import { phrasesRouter } from './phrases/http';
import { profileRouter } from './profile/http';
import { createSearch } from './search';
import { createReports } from './reports';
import { createQuality } from './quality';
import { createPrivacy } from './privacy';
import { createKnowledge } from './knowledge';
import type { ServiceManagementDeps } from './service-management';
import type { PresenceService } from './routing/presence';
import { createShifts } from './shifts';
import type { ShiftRota } from './shifts/rota';

export interface CapabilityDeps extends ServiceManagementDeps {
  calendars: CalendarStore;
  redis: Redis;
  audit: StaffAudit;
  presence: PresenceService;
  rota: ShiftRota;
  /** This process's cached copies of a contact go (it was changed or erased). */
  contactChanged?: (contactId: string) => void;
}

export function createCapabilities(d: CapabilityDeps): Capability[] {
  return [
    { api: [auditRouter(d.models, d.access)] },
    { api: [cannedRouter(d.models, d.access, d.audit)] },
    { api: [phrasesRouter(d.models, d.access, d.audit)] },
    { api: [profileRouter(d.models, d.access, d.audit)] },
    createSearch(d),
    createReports(d),
    createShifts(d),
    createQuality(d),
    createPrivacy(d),
    createKnowledge(d),
  ];
}
