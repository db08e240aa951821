/** The reports API as the console calls it (docs/api.md §5). */
import type { Figures } from '../../server/reports/figures';

export type { Figures };

export interface ReportFilter {
  from: string;
  to: string;
  period: 'day' | 'week' | 'month';
  groupBy: 'none' | 'agent' | 'team' | 'inbox' | 'channel' | 'category';
}

export interface Overview {
  from: string;
  to: string;
  timeZone: string;
  total: Figures;
  groups: { group: string | null; label: string | null; figures: Figures }[];
  series: { period: string; from: string; to: string; figures: Figures }[];
}

export interface DrillTarget {
  figure: string;
  outcome?: string;
  /** The group's value (`null`: those without one); absent for every group. */
  group?: string | null;
  from?: string;
  to?: string;
}

export interface DrillPage {
  total: number;
  page: number;
  pageSize: number;
  items: {
    recordId: string;
    conversationId: string | null;
    number: number | null;
    name: string | null;
    channel: string | null;
    at: string;
    outcome: string;
  }[];
}

export interface QueueDay {
  timeZone: string;
  slots: { from: string; to: string; queued: number; pickups: number; avgWaitMs: number | null }[];
}

function query(f: ReportFilter, t: DrillTarget | null, extra: Record<string, string> = {}): string {
  // The dates the supervisor picked are days where they are.
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const q = new URLSearchParams({ from: f.from, to: f.to, groupBy: f.groupBy, tz, ...extra });
  if (t) {
    q.set('figure', t.figure);
    if (t.outcome) q.set('outcome', t.outcome);
    if (t.group !== undefined) q.set('group', t.group ?? 'null');
    else q.set('groupBy', 'none');
    if (t.from) q.set('from', t.from);
    if (t.to) q.set('to', t.to);
  }
  return q.toString();
}

export const reportsApi = (token: string) => {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(path, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) throw new Error(body?.error?.message ?? res.statusText);
    return body as T;
  };
  return {
    overview: (f: ReportFilter, lang: string) =>
      get<Overview>(`/api/reports/overview?${query(f, null, { period: f.period, lang })}`),
    records: (f: ReportFilter, t: DrillTarget, page: number) =>
      get<DrillPage>(`/api/reports/conversations?${query(f, t, { page: String(page), pageSize: '20' })}`),
    queueDay: () => get<QueueDay>('/api/reports/queue-day'),
    /** Downloads the CSV of a figure's records (the bearer token rules out a plain link). */
    async download(f: ReportFilter, t: DrillTarget): Promise<void> {
      const res = await fetch(`/api/reports/export.csv?${query(f, t)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(res.statusText);
      const name =
        /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'report.csv';
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
};
export type ReportsApi = ReturnType<typeof reportsApi>;
