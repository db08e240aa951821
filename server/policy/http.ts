/**
 * REST for the service-level policy: the ordered rules (admins write, supervisors read)
 * and the built-in default policy they fall back to. See docs/api.md.
 */
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { InvalidInput, NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { CHANNEL_KINDS, TARGET_KINDS } from '../domain/types';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import type { PolicyRuleDoc } from './model';
import type { SettingsChanges } from '../cache/changes';
import type { PolicyStore } from './store';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const Target = z
  .object({ ms: z.number().int().positive(), businessHours: z.boolean().default(false) })
  .strict();
const Match = z
  .object({
    inboxIds: z.array(id).max(200).default([]),
    channels: z.array(z.enum(CHANNEL_KINDS)).default([]),
    priorities: z.array(z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)])).default([]),
    categories: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
    vip: z.boolean().nullable().default(null),
  })
  .strict();
const Targets = z
  .record(z.enum(TARGET_KINDS), Target)
  .refine((t) => Object.keys(t).length > 0, 'set the target of at least one clock');
const PolicyCreate = z
  .object({
    name: z.string().trim().min(1).max(200),
    order: z.number().int().min(0).max(1_000_000),
    enabled: z.boolean().default(true),
    match: Match.default({}),
    targets: Targets,
  })
  .strict();
const PolicyUpdate = PolicyCreate.partial().strict();

function policyView(
  p: Omit<PolicyRuleDoc, '_id' | 'createdAt' | 'updatedAt' | 'match'> & {
    _id: unknown;
    match: Omit<PolicyRuleDoc['match'], 'inboxIds'> & { inboxIds: readonly unknown[] };
  },
) {
  return {
    id: String(p._id),
    name: p.name,
    order: p.order,
    enabled: p.enabled,
    match: { ...p.match, inboxIds: p.match.inboxIds.map(String) },
    targets: p.targets,
  };
}

export function policiesRouter(
  models: Models,
  access: AgentAccess,
  defaults: PolicyStore['defaults'],
  changes: Pick<SettingsChanges, 'changed'>,
  audit: StaffAudit,
) {
  const r = express.Router();
  const target = (p: { _id: unknown }) => ({ kind: 'policy', id: String(p._id) });
  const admin = requireRole(access, ['admin']);
  const readers = requireRole(access, ['supervisor', 'admin']);

  const checkInboxes = async (ids: string[] | undefined) => {
    if (!ids?.length) return;
    const found = await models.Inbox.countDocuments({ _id: { $in: ids } });
    if (found !== new Set(ids).size) throw new InvalidInput('match.inboxIds: an inbox was not found');
  };
  const toDoc = (b: z.output<typeof PolicyUpdate>) => ({
    ...b,
    ...(b.match
      ? { match: { ...b.match, inboxIds: b.match.inboxIds.map((i) => new Types.ObjectId(i)) } }
      : {}),
  });

  r.get(
    '/policies',
    readers,
    route(async (_req, res) => {
      const rules = await models.PolicyRule.find().sort({ order: 1, _id: 1 }).lean<PolicyRuleDoc[]>();
      res.json({ policies: rules.map(policyView) });
    }),
  );
  r.get(
    '/policies/default',
    readers,
    route(async (_req, res) => {
      res.json({ policies: defaults.map((p) => policyView({ ...p, _id: p.id })) });
    }),
  );
  r.post(
    '/policies',
    admin,
    route(async (req, res) => {
      const body = parse(PolicyCreate, req.body);
      await checkInboxes(body.match.inboxIds);
      const created = await models.PolicyRule.create(toDoc(body));
      changes.changed('policies');
      await audit.byRequest(req, { action: 'policy.created', target: target(created), details: body });
      res.status(201).json({ policy: policyView(created.toObject()) });
    }),
  );
  r.patch(
    '/policies/:id',
    admin,
    route(async (req, res) => {
      const ruleId = parse(id, req.params.id);
      const body = parse(PolicyUpdate, req.body);
      await checkInboxes(body.match?.inboxIds);
      const updated = await models.PolicyRule.findOneAndUpdate(
        { _id: ruleId },
        { $set: toDoc(body) },
        { new: true },
      ).lean<PolicyRuleDoc>();
      if (!updated) throw new NotFound('Policy');
      changes.changed('policies');
      await audit.byRequest(req, { action: 'policy.updated', target: target(updated), details: body });
      res.json({ policy: policyView(updated) });
    }),
  );
  r.delete(
    '/policies/:id',
    admin,
    route(async (req, res) => {
      const ruleId = parse(id, req.params.id);
      const { deletedCount } = await models.PolicyRule.deleteOne({ _id: ruleId });
      if (deletedCount === 0) throw new NotFound('Policy');
      changes.changed('policies');
      await audit.byRequest(req, { action: 'policy.deleted', target: { kind: 'policy', id: ruleId } });
      res.status(204).end();
    }),
  );
  return r;
}
