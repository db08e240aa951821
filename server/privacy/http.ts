/** REST API of erasure: an admin erases a contact and everything of theirs; the tombstones. */
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import type { Models } from '../domain/models';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, route } from '../http/errors';
import type { Erasure } from './erasure';
import type { ContactErasureDoc } from './model';

const id = z.string().refine((s) => Types.ObjectId.isValid(s), 'must be an id');

const erasureView = (e: ContactErasureDoc) => ({
  contactId: String(e.contactId),
  byAgentId: e.byAgentId ? String(e.byAgentId) : null,
  at: e.at.toISOString(),
  deleted: e.deleted,
});

export function erasureRouter(models: Models, access: AgentAccess, erasure: Erasure, audit: StaffAudit) {
  const r = express.Router();
  const admin = requireRole(access, ['admin']);
  r.delete(
    '/contacts/:id',
    admin,
    route(async (req, res) => {
      const contactId = parse(id, req.params.id);
      const deleted = await erasure.contact(contactId, (req as AuthedRequest).agent.agentId);
      await audit.byRequest(req, {
        action: 'contact.erased',
        target: { kind: 'contact', id: contactId },
        details: { deleted },
      });
      res.json({ erased: { contactId, deleted } });
    }),
  );
  r.get(
    '/erasures/:contactId',
    admin,
    route(async (req, res) => {
      const contactId = parse(id, req.params.contactId);
      const e = await models.ContactErasure.findOne({ contactId }).lean<ContactErasureDoc>();
      res.json({ erasure: e ? erasureView(e) : null });
    }),
  );
  return r;
}
