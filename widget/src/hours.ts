/**
 * The inbox's opening hours while it is closed: when it opens again, in the visitor's own
 * language and time zone, and the weekly hours as the team keeps them, naming their zone.
 */
import type { OpeningHoursView } from '../../shared/protocol';
import { h } from '../../ui/dom';
import type { Locale } from '../../ui/locale';
import type { Translate } from './i18n';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

/** Closed by what the session said, and still before the next opening by this browser's clock. */
export function closedNow(hours: OpeningHoursView | null | undefined, now = Date.now()): boolean {
  if (!hours || hours.open) return false;
  return hours.nextOpeningAt === null || now < Date.parse(hours.nextOpeningAt);
}

/** "We're closed right now. We open again on Monday, 7 December at 09:00." in the visitor's zone. */
export function closedText(t: Translate, locale: Locale, hours: OpeningHoursView): string {
  if (!hours.nextOpeningAt) return t('closedNow');
  const when = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(hours.nextOpeningAt));
  // Chinese sentences follow each other without a space.
  return [t('closedNow'), t('opensAt', { when })].join(locale === 'zh-CN' ? '' : ' ');
}

function zoneName(locale: Locale, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(new Date());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function hoursBlock(t: Translate, locale: Locale, hours: OpeningHoursView): HTMLElement {
  // 1 January 2024 was a Monday: day names come from the browser in the visitor's language.
  const dayName = (i: number) =>
    new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i));
  const rows = WEEKDAYS.map((d, i) => {
    const list = hours.weekly[d];
    const text = list.length ? list.map((x) => `${x.open}–${x.close}`).join(', ') : t('closedDay');
    return h('tr', {}, h('th', { text: dayName(i) }), h('td', { text }));
  });
  return h(
    'div',
    { class: 'hours', 'data-testid': 'hours' },
    h('p', { 'data-testid': 'next-opening', text: closedText(t, locale, hours) }),
    h(
      'table',
      {},
      h('caption', { text: t('hoursTitle', { zone: zoneName(locale, hours.timeZone) }) }),
      h('tbody', {}, ...rows),
    ),
  );
}
