/** REST API of the staff audit log: admins read it, newest first, filtered and paged. */
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import type { StaffAuditEntryDoc } from './model';

const Query = z.object({
  action: z.string().max(100).optional(),
  actorId: z
    .string()
    .refine((s) => Types.ObjectId.isValid(s), 'must be an agent id')
    .optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  /** Entries before this one (the `next` of the previous page). */
  before: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function auditView(e: StaffAuditEntryDoc) {
  return {
    id: String(e._id),
    at: e.at.toISOString(),
    actorId: e.actorId ? String(e.actorId) : null,
    action: e.action,
    target: e.target,
    ip: e.ip,
    details: e.details,
  };
}

export function auditRouter(models: Models, access: AgentAccess) {
  const r = express.Router();
  r.get(
    '/audit',
    requireRole(access, ['admin']),
    route(async (req, res) => {
      const q = parse(Query, req.query);
      const at: Record<string, Date> = {};
      if (q.since) at.$gte = q.since;
      if (q.until) at.$lt = q.until;
      if (q.before && (!at.$lt || q.before < at.$lt)) at.$lt = q.before;
      const filter: Record<string, unknown> = {};
      if (q.action) filter.action = q.action;
      if (q.actorId) filter.actorId = new Types.ObjectId(q.actorId);
      if (Object.keys(at).length) filter.at = at;
      const rows = await models.StaffAuditEntry.find(filter)
        .sort({ at: -1 })
        .limit(q.limit + 1)
        .lean<StaffAuditEntryDoc[]>();
      const page = rows.slice(0, q.limit);
      res.json({
        entries: page.map(auditView),
        next: rows.length > q.limit ? page[page.length - 1]!.at.toISOString() : null,
      });
    }),
  );
  return r;
}
