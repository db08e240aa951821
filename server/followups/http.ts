/** REST API of follow-up tasks: the list, manual tasks, contacting the customer, recording the outcome. */
import express from 'express';
import { Types } from 'mongoose';
import type { AgentAccess } from '../auth/access';
import { agentOf } from '../complaints/http';
import type { ConversationDoc } from '../domain/conversation';
import { InvalidInput, NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { viewOf } from '../outreach/http';
import { objectId } from '../complaints/schemas';
import { CompleteFollowUp, CreateFollowUp, ListFollowUps, StartFollowUp } from './schemas';
import type { FollowUps } from './service';

export function followUpsRouter(models: Models, access: AgentAccess, followUps: FollowUps) {
  const r = express.Router();
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);

  r.get(
    '/followups',
    staff,
    route(async (req, res) => {
      const q = parse(ListFollowUps, req.query);
      const tasks = await followUps.list(await agentOf(models, req), {
        mine: q.mine === '1' || q.mine === 'true',
        status: q.status,
      });
      res.json({ followups: await Promise.all(tasks.map((t) => followUps.view(t))) });
    }),
  );

  r.post(
    '/followups',
    staff,
    route(async (req, res) => {
      const me = await agentOf(models, req);
      const b = parse(CreateFollowUp, req.body ?? {});
      const contact = await models.Contact.findById(b.contactId, { _id: 1 }).lean();
      if (!contact) throw new NotFound('Contact');
      const conv = b.conversationId
        ? await models.Conversation.findOne({
            _id: b.conversationId,
            contactId: contact._id,
          }).lean<ConversationDoc>()
        : null;
      if (b.conversationId && !conv)
        throw new InvalidInput('conversationId: not a conversation of this contact.');
      const owner = b.ownerAgentId ?? String(me._id);
      if (!(await models.Agent.exists({ _id: owner, active: true })))
        throw new InvalidInput('ownerAgentId: no active agent has this id.');
      const task = await followUps.ensure({
        key: `manual:${new Types.ObjectId().toHexString()}`,
        reason: 'manual',
        contactId: contact._id,
        conversation: conv,
        dueAt: b.dueAt,
        note: b.note ?? null,
        ownerAgentId: new Types.ObjectId(owner),
      });
      if (!task) throw new Error('a fresh manual follow-up key was taken');
      res.status(201).json({ followup: await followUps.view(task) });
    }),
  );

  r.post(
    '/followups/:id/start',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(StartFollowUp, req.body ?? {});
      const conv = await followUps.start(await agentOf(models, req), id, b);
      res.status(201).json({ conversation: await viewOf(models, conv) });
    }),
  );

  r.post(
    '/followups/:id/complete',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(CompleteFollowUp, req.body ?? {});
      const task = await followUps.complete(await agentOf(models, req), id, b);
      res.json({ followup: await followUps.view(task) });
    }),
  );
  return r;
}
