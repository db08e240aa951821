/**
 * Agents' bearer tokens: JWT (HS256) signed with AUTH_SECRET, audience `agent` so no
 * other token signed with the same secret (a web chat session) passes as one.
 */
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { AgentRole } from '../domain/types';
import { Unauthorized } from '../domain/errors';

const AgentClaims = z.object({
  sub: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']),
  ep: z.number().int().min(0).optional(),
});

export interface AgentIdentity {
  agentId: string;
  role: AgentRole;
  /** The account's session epoch when the token was issued; a password or role change moves it on. */
  epoch?: number;
}

export class Tokens {
  constructor(
    private readonly secret: string,
    private readonly agentTtlS: number,
  ) {}

  issueAgent(a: AgentIdentity): string {
    return jwt.sign({ role: a.role, ep: a.epoch ?? 0 }, this.secret, {
      subject: a.agentId,
      audience: 'agent',
      expiresIn: this.agentTtlS,
      algorithm: 'HS256',
    });
  }

  verifyAgent(token: unknown): AgentIdentity {
    const claims = this.verify(token, 'agent', AgentClaims);
    return { agentId: claims.sub, role: claims.role, epoch: claims.ep ?? 0 };
  }

  verify<T>(token: unknown, audience: string, schema: z.ZodType<T>): T {
    if (typeof token !== 'string' || token.length === 0) throw new Unauthorized('A token is required.');
    let decoded: unknown;
    try {
      decoded = jwt.verify(token, this.secret, { audience, algorithms: ['HS256'] });
    } catch {
      throw new Unauthorized('The token is invalid or expired.');
    }
    const parsed = schema.safeParse(decoded);
    if (!parsed.success) throw new Unauthorized('The token is invalid.');
    return parsed.data;
  }
}
