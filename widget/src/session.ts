/**
 * The visitor's session with the gateway: opened (or resumed with the stored token) over
 * HTTP, its token kept in localStorage per inbox so every tab and reload is one visitor.
 */
import type { SurveyView, WebchatSessionView } from '../../shared/protocol';

export type SessionReply = WebchatSessionView;
export type InboxInfo = WebchatSessionView['inbox'];

export interface StoredSession {
  token: string;
  /** The visitor filled in the pre-chat or offline form. */
  introduced: boolean;
  /** Id of the newest agent message the visitor has seen. */
  seenUpTo: string | null;
  /** The survey last shown, so an answered one still shows its answer after a reload. */
  survey: SurveyView | null;
}

function isSurvey(v: unknown): v is SurveyView {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.surveyId === 'string' &&
    typeof s.conversationId === 'string' &&
    typeof s.expiresAt === 'string' &&
    (s.rating === null || typeof s.rating === 'number')
  );
}

export class SessionStore {
  private readonly key: string;

  constructor(
    inboxKey: string,
    private readonly storage: Storage | null,
  ) {
    this.key = `switchboard:webchat:${inboxKey}`;
  }

  load(): StoredSession | null {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return null;
      const v = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof v.token !== 'string') return null;
      return {
        token: v.token,
        introduced: v.introduced === true,
        seenUpTo: v.seenUpTo ?? null,
        survey: isSurvey(v.survey) ? v.survey : null,
      };
    } catch {
      return null;
    }
  }

  save(patch: Partial<StoredSession>): void {
    const next = {
      ...(this.load() ?? { token: '', introduced: false, seenUpTo: null, survey: null }),
      ...patch,
    };
    try {
      this.storage?.setItem(this.key, JSON.stringify(next));
    } catch {
      // Private mode or a full quota: the session then lasts as long as the page.
    }
  }

  /** Changes made by another tab (the 'storage' event key to listen for). */
  get storageKey(): string {
    return this.key;
  }
}

/** The gateway refused the session (unknown inbox, origin not allowed, identity not verified): retrying will not help. */
export class SessionRefused extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Who the host site says the visitor is, signed with the inbox's identity secret. */
export interface SignedIdentity {
  userId: string;
  userHash: string;
  name?: string;
  email?: string;
}

/** A signed identity from the host page (data attributes or the identify event), or null when incomplete. */
export function signedIdentity(
  v: Record<string, unknown> | DOMStringMap | null | undefined,
): SignedIdentity | null {
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const userId = str(v?.userId);
  const userHash = str(v?.userHash);
  if (!userId || !userHash) return null;
  return { userId, userHash, name: str(v?.userName ?? v?.name), email: str(v?.userEmail ?? v?.email) };
}

export async function openSession(
  origin: string,
  body: {
    inboxKey: string;
    token?: string;
    name?: string;
    email?: string;
    category?: string;
    locale?: string;
    identity?: SignedIdentity;
  },
): Promise<SessionReply> {
  const res = await fetch(`${origin}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as {
      error?: { message?: string; code?: string };
    } | null;
    const message = err?.error?.message ?? `The chat could not start (${res.status}).`;
    throw res.status < 500 ? new SessionRefused(message, err?.error?.code ?? null) : new Error(message);
  }
  return (await res.json()) as SessionReply;
}
