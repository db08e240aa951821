/** Small shared pieces of the Shifts tab: when a shift runs, in the viewer's time. */
import type { ShiftView } from '../../../../shared/protocol';
import { h } from '../../../../ui/dom';
import type { Translate } from '../../i18n';

/** A shift's edge in the viewer's zone: "18:00" today, else "Wed 3 Dec, 09:00". */
export function when(iso: string, locale: string): string {
  const d = new Date(iso);
  const hm = { hour: '2-digit', minute: '2-digit' } as const;
  if (d.toDateString() === new Date().toDateString()) return d.toLocaleTimeString(locale, hm);
  return d.toLocaleString(locale, { weekday: 'short', month: 'short', day: 'numeric', ...hm });
}

/** "On now, until 18:00" / "Next starts 2 Dec, 09:00" / "Not scheduled". */
export function shiftStatus(s: ShiftView, t: Translate, locale: string): HTMLElement {
  const text = s.running
    ? t('shiftsRunning', { t: when(s.running.endsAt, locale) })
    : s.nextStartAt
      ? t('shiftsNext', { t: when(s.nextStartAt, locale) })
      : t('shiftsNever');
  return h('span', {
    class: `shift-status${s.running ? ' running' : ''}`,
    'data-testid': 'shift-status',
    'data-running': String(s.running !== null),
    text,
  });
}
