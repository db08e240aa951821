/** REST API of agent-started conversations: POST /api/conversations. */
import express from 'express';
import type { AgentAccess } from '../auth/access';
import type { ConversationDoc } from '../domain/conversation';
import type { Models } from '../domain/models';
import { conversationView } from '../domain/views';
import { agentOf } from '../complaints/http';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { StartConversation } from './schemas';
import type { Outreach } from './start';

export async function viewOf(models: Models, c: ConversationDoc) {
  const contact = await models.Contact.findById(c.contactId, { name: 1, email: 1, phone: 1 }).lean();
  return conversationView(c, contact?.name ?? contact?.email ?? contact?.phone ?? null);
}

export function outreachRouter(models: Models, access: AgentAccess, outreach: Outreach) {
  const r = express.Router();
  r.post(
    '/conversations',
    requireRole(access, ['agent', 'supervisor', 'admin']),
    route(async (req, res) => {
      const body = parse(StartConversation, req.body ?? {});
      const conv = await outreach.start(await agentOf(models, req), body);
      res.status(201).json({ conversation: await viewOf(models, conv) });
    }),
  );
  return r;
}
