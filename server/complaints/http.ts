/** REST API of complaints: the complaint of a conversation, recording its solution, marking acceptance. */
import express from 'express';
import type { AgentAccess } from '../auth/access';
import type { AgentDoc } from '../domain/agent';
import { Unauthorized } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, route } from '../http/errors';
import { AcceptSolution, RecordSolution, objectId } from './schemas';
import type { ComplaintRecords } from './service';
import type { ComplaintSolutions } from './solution';
import { complaintView } from './views';
import { visibleConversation } from '../access/reads';

/** The signed-in agent's account, refused once disabled. */
export async function agentOf(models: Models, req: express.Request): Promise<AgentDoc> {
  const a = await models.Agent.findById((req as AuthedRequest).agent.agentId).lean<AgentDoc>();
  if (!a || !a.active) throw new Unauthorized('Your account is disabled.');
  return a;
}

export function complaintsRouter(
  models: Models,
  access: AgentAccess,
  records: ComplaintRecords,
  solutions: ComplaintSolutions,
) {
  const r = express.Router();
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);

  r.get(
    '/conversations/:id/complaint',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      await visibleConversation(models, (req as AuthedRequest).agent, id);
      const c = await records.of(id);
      res.json({ complaint: c ? complaintView(c) : null });
    }),
  );

  r.post(
    '/conversations/:id/solution',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const { text, clientId } = parse(RecordSolution, req.body ?? {});
      const c = await solutions.record(await agentOf(models, req), id, text, clientId);
      res.json({ complaint: complaintView(c) });
    }),
  );

  r.post(
    '/conversations/:id/solution/accept',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const { messageId } = parse(AcceptSolution, req.body ?? {});
      const c = await solutions.accept({ type: 'agent', ...(req as AuthedRequest).agent }, id, messageId);
      res.json({ complaint: complaintView(c) });
    }),
  );
  return r;
}
