/** The REST API the console uses, with the agent's bearer token. */
import { fetchLimits, upload } from '../../ui/attachments';
import type { AgentView, ComplaintView, ConversationView, FollowUpView } from '../../shared/protocol';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ContactProfile {
  contact: {
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    vip?: boolean;
    dedicatedAgentId?: string | null;
    identities: { channel: string; address: string }[];
  };
  conversations: ConversationView[];
}

export interface Attainment {
  pickup: { total: number; met: number; ratio: number | null };
  reply: { total: number; met: number; ratio: number | null };
}

export interface Category {
  key: string;
  names: { en: string; zh: string };
  enabled: boolean;
}

export interface InboxSummary {
  id: string;
  name: string;
  channel: string;
  enabled: boolean;
}

export interface Outcome {
  reached: boolean;
  satisfied: boolean | null;
  note: string;
  keepOpen: boolean;
}

export interface StartConversation {
  contactId: string;
  inboxId: string;
  text: string;
  subject?: string;
}

export interface Team {
  id: string;
  name: string;
}

export async function request<T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { ...init, headers });
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText);
  }
  return body as T;
}

export function login(email: string, password: string) {
  return request<{ token: string; agent: AgentView }>('/api/auth/login', null, {
    method: 'POST',
    body: JSON.stringify({ email, password }),
  });
}

export const api = (token: string) => ({
  upload: (file: File) => upload('/api/uploads', token, file),
  uploadLimits: () => fetchLimits('/api/uploads/limits', token),
  me: () => request<{ agent: AgentView }>('/api/auth/me', token),
  agents: () => request<{ agents: AgentView[] }>('/api/agents', token),
  teams: () => request<{ teams: Team[] }>('/api/teams', token),
  contact: (id: string) => request<ContactProfile>(`/api/contacts/${encodeURIComponent(id)}`, token),
  setVip: (id: string, vip: boolean) =>
    request<{ contact: ContactProfile['contact'] }>(`/api/contacts/${encodeURIComponent(id)}`, token, {
      method: 'PATCH',
      body: JSON.stringify({ vip }),
    }),
  inboxes: () => request<{ inboxes: InboxSummary[] }>('/api/inboxes', token),
  complaint: (conversationId: string) =>
    request<{ complaint: ComplaintView | null }>(
      `/api/conversations/${encodeURIComponent(conversationId)}/complaint`,
      token,
    ),
  recordSolution: (conversationId: string, text: string) =>
    request<{ complaint: ComplaintView }>(
      `/api/conversations/${encodeURIComponent(conversationId)}/solution`,
      token,
      {
        method: 'POST',
        body: JSON.stringify({ text }),
      },
    ),
  acceptSolution: (conversationId: string, messageId: string) =>
    request<{ complaint: ComplaintView }>(
      `/api/conversations/${encodeURIComponent(conversationId)}/solution/accept`,
      token,
      { method: 'POST', body: JSON.stringify({ messageId }) },
    ),
  startConversation: (body: StartConversation) =>
    request<{ conversation: ConversationView }>('/api/conversations', token, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  myFollowUps: () => request<{ followups: FollowUpView[] }>('/api/followups?mine=1&status=open', token),
  startFollowUp: (id: string, body: Omit<StartConversation, 'contactId'>) =>
    request<{ conversation: ConversationView }>(`/api/followups/${encodeURIComponent(id)}/start`, token, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  completeFollowUp: (id: string, outcome: Outcome) =>
    request<{ followup: FollowUpView }>(`/api/followups/${encodeURIComponent(id)}/complete`, token, {
      method: 'POST',
      body: JSON.stringify(outcome),
    }),
  categories: () => request<{ categories: Category[] }>('/api/categories', token),
  attainment: (from: Date, to: Date) =>
    request<Attainment>(
      `/api/reports/attainment?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      token,
    ),
});

export type Api = ReturnType<typeof api>;
