/**
 * Calendars: opening hours per weekday, holidays and make-up workdays (one per line,
 * "2026-10-01 National Day", optionally with hours), and the IANA time zone.
 */
import { h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import type { AdminCalendar, Day, Hours } from './client';
import { AdminForm, confirmButton, input } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'];
const INTERVAL = /^([01]\d|2[0-3]):[0-5]\d\s*[-–~]\s*(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const hoursText = (hours: Hours[] = []) => hours.map((x) => `${x.open}-${x.close}`).join(', ');

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

const dayText = (days: Day[]) =>
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

export class CalendarsSection extends Section {
  private lookups: Lookups | null = null;

  constructor(c: AdminContext) {
    super(c, 'calendars', 'adminCalendars');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame('adminNewCalendar', () => this.form(null));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const rows = this.lookups!.calendars.map((cal) =>
      h(
        'tr',
        { 'data-testid': 'calendar-row', 'data-id': cal.id },
        cell(h('strong', { text: cal.name })),
        cell(cal.timeZone),
        cell(
          ...WEEKDAYS.map((d) =>
            h('div', {
              class: 'admin-hint',
              text: `${t(`adminWeekday${d}` as Key)} ${hoursText(cal.weekly[d]) || t('adminClosed')}`,
            }),
          ),
        ),
        cell(String(cal.holidays.length), ' / ', String(cal.extraWorkdays.length)),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'calendar-edit',
            text: t('adminEdit'),
            onclick: () => this.form(cal),
          }),
          confirmButton(t, 'adminDelete', 'calendar-delete', () => void this.remove(cal)),
        ),
      ),
    );
    this.list.replaceChildren(
      this.table(['adminName', 'adminTimeZone', 'adminHours', 'adminHolidaysShort', 'adminActions'], rows),
    );
  }

  private async remove(cal: AdminCalendar): Promise<void> {
    await this.attempt(async () => {
      await this.c.api.calendars.remove(cal.id);
      this.lookups!.calendars = this.lookups!.calendars.filter((x) => x.id !== cal.id);
      this.say(this.c.t('adminDeleted', { name: cal.name }));
      this.draw();
    });
  }

  private form(cal: AdminCalendar | null): void {
    const { t } = this.c;
    const name = input({ maxlength: 200, value: cal?.name ?? '' });
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const zone = input({
      list: 'admin-zones',
      value: cal?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      autocomplete: 'off',
    });
    const zoneList = h('datalist', { id: 'admin-zones' }, ...zones.map((z) => h('option', { value: z })));
    const standard = (d: string) => (Number(d) <= 5 ? '09:00-18:00' : '');
    const days = WEEKDAYS.map((d) =>
      input({ value: cal ? hoursText(cal.weekly[d]) : standard(d), placeholder: t('adminClosed') }),
    );
    const holidays = h('textarea', { rows: 3, placeholder: '2026-10-01 National Day' });
    holidays.value = cal ? dayText(cal.holidays) : '';
    const extra = h('textarea', { rows: 2, placeholder: '2026-09-27 Make-up workday' });
    extra.value = cal ? dayText(cal.extraWorkdays) : '';
    const form = new AdminForm(t, 'calendar-form', async () => {
      const body = {
        name: name.value.trim(),
        timeZone: zone.value.trim(),
        weekly: Object.fromEntries(WEEKDAYS.map((d, i) => [d, parseHours(days[i]!.value) ?? []])),
        holidays: parseDays(holidays.value) ?? [],
        extraWorkdays: parseDays(extra.value) ?? [],
      };
      const saved = cal
        ? await this.c.api.calendars.update(cal.id, body)
        : await this.c.api.calendars.create(body);
      const l = this.lookups!;
      l.calendars = [...l.calendars.filter((x) => x.id !== saved.id), saved].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      this.closeEditor();
      this.say(t('adminSaved', { name: saved.name }));
      this.draw();
    });
    const zoneCheck = () => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone.value.trim() });
        return zone.value.trim() ? null : t('adminRequired');
      } catch {
        return t('adminTimeZoneHint');
      }
    };
    this.edit(
      h('h4', { text: cal ? t('adminEditing', { name: cal.name }) : t('adminNewCalendar') }),
      form.build(
        cal ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        form.field('timeZone', 'adminTimeZone', zone, 'adminTimeZoneHint', zoneCheck),
        zoneList,
        h(
          'fieldset',
          { class: 'admin-week' },
          h('legend', { text: t('adminHours') }),
          h('small', { class: 'admin-hint', text: t('adminHoursHint') }),
          ...WEEKDAYS.map((d, i) =>
            form.field(`weekly.${d}`, `adminWeekday${d}` as Key, days[i]!, undefined, () =>
              parseHours(days[i]!.value) ? null : t('adminHoursHint'),
            ),
          ),
        ),
        form.field('holidays', 'adminHolidays', holidays, 'adminDaysHint', () =>
          parseDays(holidays.value) ? null : t('adminDaysHint'),
        ),
        form.field('extraWorkdays', 'adminExtraWorkdays', extra, 'adminExtraHint', () =>
          parseDays(extra.value) ? null : t('adminDaysHint'),
        ),
      ),
    );
  }
}
