/** The REST calls of the admin area: inboxes, teams, agents, calendars, policies, categories and the audit log. */
import type { AgentView } from '../../../../shared/protocol';
import { request } from '../../api';

export type Json = Record<string, unknown>;
export type Hours = { open: string; close: string };
export type Day = { date: string; name?: string; hours?: Hours[] };

export interface AdminInbox {
  id: string;
  name: string;
  channel: string;
  key: string;
  teamId: string | null;
  calendarId: string | null;
  secondLineTeamId: string | null;
  locale: string;
  enabled: boolean;
  archivedAt: string | null;
  state: { status: 'ok' | 'error' | 'stopped'; error: string | null; updatedAt: string | null };
  settings: Json;
  configured: boolean;
  endpoints: Record<string, string>;
}
export interface AdminTeam {
  id: string;
  name: string;
  description: string;
  tier: 'first' | 'second';
}
export interface AdminCalendar {
  id: string;
  name: string;
  timeZone: string;
  weekly: Record<string, Hours[]>;
  holidays: Day[];
  extraWorkdays: Day[];
}
export interface AdminPolicy {
  id: string;
  name: string;
  order: number;
  enabled: boolean;
  match: {
    inboxIds: string[];
    channels: string[];
    priorities: number[];
    categories: string[];
    vip: boolean | null;
  };
  targets: Record<string, { ms: number; businessHours: boolean }>;
}
export interface AdminCategory {
  key: string;
  names: { en: string; zh: string };
  enabled: boolean;
  order: number;
}
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  action: string;
  target: { kind: string; id: string } | null;
  ip: string | null;
  details: Json;
}

const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

export function adminApi(token: string) {
  const send = <T>(method: string, path: string, body?: unknown) =>
    request<T>(path, token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  /** The four calls of one kind of thing. */
  const crud = <T>(path: string, one: string, many: string) => ({
    list: () => send<Record<string, T[]>>('GET', path).then((r) => r[many] ?? []),
    create: (body: Json) => send<Record<string, T>>('POST', path, body).then((r) => r[one]!),
    update: (id: string, body: Json) =>
      send<Record<string, T>>('PATCH', at(path, id), body).then((r) => r[one]!),
    remove: (id: string) => send<{ archived?: boolean } | null>('DELETE', at(path, id)),
  });
  return {
    inboxes: crud<AdminInbox>('/api/inboxes', 'inbox', 'inboxes'),
    teams: crud<AdminTeam>('/api/teams', 'team', 'teams'),
    agents: crud<AgentView>('/api/agents', 'agent', 'agents'),
    calendars: crud<AdminCalendar>('/api/calendars', 'calendar', 'calendars'),
    policies: crud<AdminPolicy>('/api/policies', 'policy', 'policies'),
    categories: crud<AdminCategory>('/api/categories', 'category', 'categories'),
    audit: (q: { action?: string; before?: string }) => {
      const qs = new URLSearchParams({ limit: '50' });
      if (q.action) qs.set('action', q.action);
      if (q.before) qs.set('before', q.before);
      return send<{ entries: AuditEntry[]; next: string | null }>('GET', `/api/audit?${qs}`);
    },
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
