/** REST API of canned responses: agents list what applies to them; supervisors and admins manage them. */
import express from 'express';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import { agentOf } from '../complaints/http';
import { objectId } from '../complaints/schemas';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { CreateCanned, ListCanned, UpdateCanned } from './schemas';
import { cannedView, CannedResponses } from './service';

export function cannedRouter(models: Models, access: AgentAccess, audit: StaffAudit) {
  const r = express.Router();
  const canned = new CannedResponses(models);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const managers = requireRole(access, ['supervisor', 'admin']);
  const target = (id: string) => ({ kind: 'canned_response', id });

  r.get(
    '/canned-responses',
    staff,
    route(async (req, res) => {
      const q = parse(ListCanned, req.query);
      const me = await agentOf(models, req);
      res.json({ cannedResponses: (await canned.list(me, q.teamId)).map((c) => cannedView(c, me)) });
    }),
  );
  r.post(
    '/canned-responses',
    managers,
    route(async (req, res) => {
      const b = parse(CreateCanned, req.body ?? {});
      const me = await agentOf(models, req);
      const c = await canned.create(me, b);
      await audit.byRequest(req, {
        action: 'canned.created',
        target: target(String(c._id)),
        details: { shortcut: c.shortcut },
      });
      res.status(201).json({ cannedResponse: cannedView(c, me) });
    }),
  );
  r.patch(
    '/canned-responses/:id',
    managers,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(UpdateCanned, req.body ?? {});
      const me = await agentOf(models, req);
      const c = await canned.update(me, id, b);
      await audit.byRequest(req, {
        action: 'canned.updated',
        target: target(id),
        details: { fields: Object.keys(b) },
      });
      res.json({ cannedResponse: cannedView(c, me) });
    }),
  );
  r.delete(
    '/canned-responses/:id',
    managers,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const c = await canned.remove(await agentOf(models, req), id);
      await audit.byRequest(req, {
        action: 'canned.deleted',
        target: target(id),
        details: { shortcut: c.shortcut },
      });
      res.status(204).end();
    }),
  );
  return r;
}
