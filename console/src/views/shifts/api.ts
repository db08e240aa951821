/** The shift REST calls of the console (docs/api.md §19). */
import type { HandoverView, ShiftView } from '../../../../shared/protocol';
import { request } from '../../api';

export interface ShiftInput {
  teamId?: string;
  name: string;
  agentIds: string[];
  timeZone: string;
  weekly: Record<string, { open: string; close: string }[]>;
  offDays: ShiftView['offDays'];
  dutyDays: ShiftView['dutyDays'];
}

const at = (id: string) => `/api/shifts/${encodeURIComponent(id)}`;

export const shiftsApi = (token: string) => {
  const send = <T>(method: string, path: string, body?: unknown) =>
    request<T>(path, token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return {
    list: (teamId: string | null) =>
      send<{ shifts: ShiftView[] }>(
        'GET',
        teamId ? `/api/shifts?teamId=${encodeURIComponent(teamId)}` : '/api/shifts',
      ).then((r) => r.shifts),
    create: (body: ShiftInput) =>
      send<{ shift: ShiftView }>('POST', '/api/shifts', body).then((r) => r.shift),
    update: (id: string, body: Omit<ShiftInput, 'teamId'>) =>
      send<{ shift: ShiftView }>('PATCH', at(id), body).then((r) => r.shift),
    remove: (id: string) => send<null>('DELETE', at(id)),
    writeHandover: (id: string, note: string) =>
      send<{ handover: HandoverView }>('PUT', `${at(id)}/handover`, { note }).then((r) => r.handover),
  };
};

export type ShiftsApi = ReturnType<typeof shiftsApi>;
