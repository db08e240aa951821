/**
 * Weekly hours and dated days as an admin form edits them: the text forms ("09:00-12:00,
 * 13:00-18:00"; one dated day a line), their parsing, and the fields for a time zone, the
 * seven weekdays and a list of dates. The calendar editor and the shift editor share them.
 */
import { h } from '../../../ui/dom';
import type { Key, Translate } from '../i18n';
import type { Day, Hours } from './admin/client';
import { input, type AdminForm } from './admin/form';

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'];
const INTERVAL = /^([01]\d|2[0-3]):[0-5]\d\s*[-–~]\s*(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const hoursText = (hours: Hours[] = []) => hours.map((x) => `${x.open}-${x.close}`).join(', ');

/** "09:00-12:00, 13:00-18:00" → intervals; null when a part is not an interval. */
export function parseHours(text: string): Hours[] | null {
  const parts = text
    .split(/[,，;]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.every((p) => INTERVAL.test(p))) return null;
  return parts.map((p) => {
    const [open, close] = p.split(/\s*[-–~]\s*/);
    return { open: open!, close: close! };
  });
}

export const dayText = (days: Day[]) =>
  days
    .map((d) => [d.date, d.hours ? hoursText(d.hours) : '', d.name ?? ''].filter(Boolean).join(' '))
    .join('\n');

/** One day a line: a date, then optional intervals, then an optional name. Null when a line has no date. */
export function parseDays(text: string): Day[] | null {
  const out: Day[] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [date, ...rest] = line.split(/\s+/);
    if (!date || !DATE.test(date)) return null;
    const hours: Hours[] = [];
    while (rest[0] && INTERVAL.test(rest[0].replace(/,$/, '')))
      hours.push(...parseHours(rest.shift()!.replace(/,$/, ''))!);
    const name = rest.join(' ');
    out.push({ date, ...(name ? { name } : {}), ...(hours.length ? { hours } : {}) });
  }
  return out;
}

/** The time-zone field (with the browser's zones to pick from) and its value. */
export function timeZoneField(form: AdminForm, t: Translate, value: string | undefined) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zone = input({
    list: 'admin-zones',
    value: value ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    autocomplete: 'off',
  });
  const check = () => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone.value.trim() });
      return zone.value.trim() ? null : t('adminRequired');
    } catch {
      return t('adminTimeZoneHint');
    }
  };
  return {
    el: h(
      'div',
      {},
      form.field('timeZone', 'adminTimeZone', zone, 'adminTimeZoneHint', check),
      h('datalist', { id: 'admin-zones' }, ...zones.map((z) => h('option', { value: z }))),
    ),
    value: () => zone.value.trim(),
  };
}

/** The seven weekdays' hours as fields `weekly.1`…`weekly.7`, and their value. */
export function weeklyFields(
  form: AdminForm,
  t: Translate,
  legend: Key,
  initial: (weekday: string) => string,
) {
  const days = WEEKDAYS.map((d) => input({ value: initial(d), placeholder: t('adminClosed') }));
  return {
    el: h(
      'fieldset',
      { class: 'admin-week' },
      h('legend', { text: t(legend) }),
      h('small', { class: 'admin-hint', text: t('adminHoursHint') }),
      ...WEEKDAYS.map((d, i) =>
        form.field(`weekly.${d}`, `adminWeekday${d}` as Key, days[i]!, undefined, () =>
          parseHours(days[i]!.value) ? null : t('adminHoursHint'),
        ),
      ),
    ),
    value: () => Object.fromEntries(WEEKDAYS.map((d, i) => [d, parseHours(days[i]!.value) ?? []])),
  };
}

/** A list of dated days, one a line, as the field `path`, and its value. */
export function daysField(
  form: AdminForm,
  t: Translate,
  f: { path: string; label: Key; hint: Key; days: Day[]; placeholder: string; rows: number },
) {
  const box = h('textarea', { rows: f.rows, placeholder: f.placeholder });
  box.value = dayText(f.days);
  return {
    el: form.field(f.path, f.label, box, f.hint, () => (parseDays(box.value) ? null : t('adminDaysHint'))),
    value: () => parseDays(box.value) ?? [],
  };
}

/** A calendar's or a shift's week in a table cell: a line per weekday (per working day when `empty` is null). */
export function weekLines(
  t: Translate,
  weekly: Partial<Record<string, Hours[]>>,
  empty: Key | null,
): HTMLElement[] {
  return WEEKDAYS.filter((d) => empty || weekly[d]?.length).map((d) =>
    h('div', {
      class: 'admin-hint',
      text: `${t(`adminWeekday${d}` as Key)} ${hoursText(weekly[d]) || (empty ? t(empty) : '')}`,
    }),
  );
}
