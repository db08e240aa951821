/** The REST API the console uses, with the agent's bearer token. */
import { fetchLimits, upload } from '../../widget/src/attachments';
import type { AgentView, ConversationView } from '../../shared/protocol';

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

export interface Team {
  id: string;
  name: string;
}

async function request<T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> {
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
  categories: () => request<{ categories: Category[] }>('/api/categories', token),
  attainment: (from: Date, to: Date) =>
    request<Attainment>(
      `/api/reports/attainment?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      token,
    ),
});

export type Api = ReturnType<typeof api>;
