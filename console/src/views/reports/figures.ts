/** The figures the reports tab shows: how each reads its value from the API's figures and which records lie behind it. */
import type { Key } from '../../i18n';
import type { Figures } from '../../reports-api';

export interface FigureSpec {
  id: string;
  label: Key;
  value(f: Figures): number | null;
  /** "3 of 4" under the value, when it is a ratio. */
  parts?(f: Figures): [number, number];
  unit: 'pct' | 'count' | 'duration';
  drill: { figure: string; outcome?: string };
}

const clock = (id: keyof Figures['clocks'], label: Key): FigureSpec => ({
  id,
  label,
  value: (f) => f.clocks[id].pct,
  parts: (f) => [f.clocks[id].met, f.clocks[id].total],
  unit: 'pct',
  drill: { figure: id },
});

export const FIGURE_SPECS: FigureSpec[] = [
  clock('pickup', 'pickup'),
  clock('reply', 'replyClock'),
  clock('resolution', 'resolutionClock'),
  clock('escalation', 'escalationClock'),
  clock('complaint_acknowledgement', 'complaintAcknowledgementClock'),
  clock('complaint_solution', 'complaintSolutionClock'),
  clock('complaint_follow_up', 'complaintFollowUpClock'),
  {
    id: 'complaints',
    label: 'figureComplaints',
    value: (f) => f.complaintDeadlines.pct,
    parts: (f) => [f.complaintDeadlines.met, f.complaintDeadlines.total],
    unit: 'pct',
    drill: { figure: 'complaints' },
  },
  {
    id: 'csat',
    label: 'figureCsat',
    value: (f) => f.csat.csatPct,
    parts: (f) => [f.csat.satisfied, f.csat.answers],
    unit: 'pct',
    drill: { figure: 'csat', outcome: 'answered' },
  },
  {
    id: 'responseRate',
    label: 'figureResponseRate',
    value: (f) => f.csat.responseRatePct,
    parts: (f) => [f.csat.answers, f.csat.asked],
    unit: 'pct',
    drill: { figure: 'csat' },
  },
  {
    id: 'fcr',
    label: 'figureFcr',
    value: (f) => f.resolutions.fcrPct,
    parts: (f) => [f.resolutions.firstContact, f.resolutions.resolved],
    unit: 'pct',
    drill: { figure: 'resolutions' },
  },
  {
    id: 'resolved',
    label: 'figureResolved',
    value: (f) => f.resolutions.resolved,
    unit: 'count',
    drill: { figure: 'resolutions' },
  },
  {
    id: 'handleTime',
    label: 'figureHandleTime',
    value: (f) => f.resolutions.avgHandleMs,
    unit: 'duration',
    drill: { figure: 'resolutions' },
  },
  {
    id: 'followUps',
    label: 'figureFollowUps',
    value: (f) => f.followUps.pct,
    parts: (f) => [f.followUps.onTime, f.followUps.done],
    unit: 'pct',
    drill: { figure: 'followups' },
  },
];

export function formatValue(unit: FigureSpec['unit'], v: number | null): string {
  if (v === null) return '—';
  if (unit === 'pct') return `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
  if (unit === 'count') return String(Math.round(v));
  const s = Math.round(v / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
