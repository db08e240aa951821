/**
 * Visitor sessions: a signed token per web chat visitor and inbox, kept by the widget so a
 * session resumes across reloads and tabs. Other channels use it to recognise the same
 * visitor (a Telegram deep link asked for from the widget).
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { Unauthorized } from '../domain/errors';
import { LOCALES, type Locale } from '../domain/types';

const Claims = z.object({
  sub: z.string().uuid(),
  inbox: z.string(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  locale: z.enum(LOCALES).nullable().optional(),
  verified: z.boolean().optional(),
});

export interface VisitorSession {
  visitorId: string;
  inboxId: string;
  name: string | null;
  email: string | null;
  /** The category picked in the pre-chat form, or null. */
  category: string | null;
  /** The visitor's language as the widget reported it, or null when it is not one we write. */
  locale: Locale | null;
  /** The site proved who the visitor is (a signed identity); such a session is never resumed without it. */
  verified: boolean;
}

export class VisitorSessions {
  constructor(
    private readonly secret: string,
    private readonly ttlS: number,
  ) {}

  issue(
    s: Omit<VisitorSession, 'visitorId' | 'category' | 'locale' | 'verified'> & {
      visitorId?: string;
      verified?: boolean;
      category?: string | null;
      locale?: Locale | null;
    },
  ): {
    token: string;
    session: VisitorSession;
  } {
    const session = {
      visitorId: s.visitorId ?? randomUUID(),
      inboxId: s.inboxId,
      name: s.name,
      email: s.email,
      category: s.category ?? null,
      locale: s.locale ?? null,
      verified: s.verified ?? false,
    };
    const token = jwt.sign(
      {
        inbox: session.inboxId,
        name: session.name,
        email: session.email,
        category: session.category,
        locale: session.locale,
        ...(session.verified ? { verified: true } : {}),
      },
      this.secret,
      {
        subject: session.visitorId,
        audience: 'visitor',
        expiresIn: this.ttlS,
        algorithm: 'HS256',
      },
    );
    return { token, session };
  }

  verify(token: unknown): VisitorSession {
    if (typeof token !== 'string' || !token) throw new Unauthorized('A session token is required.');
    let decoded: unknown;
    try {
      decoded = jwt.verify(token, this.secret, { audience: 'visitor', algorithms: ['HS256'] });
    } catch {
      throw new Unauthorized('The session is invalid or expired; start a new one.');
    }
    const c = Claims.safeParse(decoded);
    if (!c.success) throw new Unauthorized('The session is invalid; start a new one.');
    return {
      visitorId: c.data.sub,
      inboxId: c.data.inbox,
      name: c.data.name ?? null,
      email: c.data.email ?? null,
      category: c.data.category ?? null,
      locale: c.data.locale ?? null,
      verified: c.data.verified ?? false,
    };
  }
}
