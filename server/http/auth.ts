/** Login and the bearer-token guard for the REST API. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import { Forbidden, Unauthorized } from '../domain/errors';
import type { Models } from '../domain/models';
import type { AgentRole } from '../domain/types';
import { agentView } from '../domain/views';
import * as passwords from '../auth/passwords';
import type { AgentAccess } from '../auth/access';
import { LoginGuard } from '../auth/login-guard';
import type { Scope } from '../access/rules';
import type { Seats } from '../routing/seats';
import { parse, route } from './errors';

const Login = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) });

export type AuthedRequest = Request & { agent: Scope };

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

export function authRouter(
  models: Models,
  access: AgentAccess,
  seats: Seats,
  g: ConstructorParameters<typeof LoginGuard>,
) {
  const guard = new LoginGuard(...g);
  const r = express.Router();
  r.post(
    '/login',
    route(async (req, res) => {
      const { email, password } = parse(Login, req.body);
      // The socket's address, or the client's as a trusted proxy reports it (TRUST_PROXY).
      const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      await guard.check(email, address);
      const agent = await models.Agent.findOne({ email: email.toLowerCase() }).lean<AgentDoc>();
      const usable = !!agent && agent.active;
      // An unknown email costs the same hashing as a wrong password: no answer time tells them apart.
      const ok = await passwords.verifyPassword(
        password,
        usable ? agent.passwordHash : passwords.UNKNOWN_ACCOUNT_HASH,
      );
      if (!usable || !ok) {
        await guard.failed(email, address, agent ? String(agent._id) : null);
        throw new Unauthorized('Wrong email or password.');
      }
      await guard.succeeded(email, address, String(agent._id));
      res.json({ token: access.issue(agent), agent: agentView(agent, await seats.loadOf(agent._id)) });
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
