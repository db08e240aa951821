/** Login and the bearer-token guard for the REST API. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import { Forbidden, Unauthorized } from '../domain/errors';
import type { Models } from '../domain/models';
import type { AgentRole } from '../domain/types';
import { agentView } from '../domain/views';
import { verifyPassword } from '../auth/passwords';
import type { AgentAccess } from '../auth/access';
import type { AgentIdentity } from '../auth/tokens';
import type { Seats } from '../routing/seats';
import { parse, route } from './errors';

const Login = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) });

export type AuthedRequest = Request & { agent: AgentIdentity };

export function requireRole(access: AgentAccess, roles: AgentRole[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    access
      .verify(token)
      .then((who) => {
        if (!roles.includes(who.role)) throw new Forbidden();
        (req as AuthedRequest).agent = who;
        next();
      })
      .catch((err: unknown) => {
        next(err instanceof Forbidden || err instanceof Unauthorized ? err : new Unauthorized());
      });
  };
}

export function authRouter(models: Models, access: AgentAccess, seats: Seats) {
  const r = express.Router();
  r.post(
    '/login',
    route(async (req, res) => {
      const { email, password } = parse(Login, req.body);
      const agent = await models.Agent.findOne({ email: email.toLowerCase() }).lean<AgentDoc>();
      const ok = agent && agent.active ? await verifyPassword(password, agent.passwordHash) : false;
      if (!agent || !ok) throw new Unauthorized('Wrong email or password.');
      const token = access.tokens.issueAgent({ agentId: String(agent._id), role: agent.role });
      res.json({ token, agent: agentView(agent, await seats.loadOf(agent._id)) });
    }),
  );
  r.get(
    '/me',
    requireRole(access, ['agent', 'supervisor', 'admin']),
    route(async (req, res) => {
      const agent = await models.Agent.findById((req as AuthedRequest).agent.agentId).lean<AgentDoc>();
      if (!agent) throw new Unauthorized();
      res.json({ agent: agentView(agent, await seats.loadOf(agent._id)) });
    }),
  );
  return r;
}
