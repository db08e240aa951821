/**
 * Calendars: opening hours per weekday, holidays and make-up workdays (one per line,
 * "2026-10-01 National Day", optionally with hours), and the IANA time zone.
 */
import { h } from '../../../../ui/dom';
import { daysField, timeZoneField, weekLines, weeklyFields, hoursText } from '../hours-fields';
import type { AdminCalendar } from './client';
import { AdminForm, confirmButton, input } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

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
        cell(...weekLines(t, cal.weekly, 'adminClosed')),
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
    const form: AdminForm = new AdminForm(t, 'calendar-form', async () => {
      const body = {
        name: name.value.trim(),
        timeZone: zone.value(),
        weekly: week.value(),
        holidays: holidays.value(),
        extraWorkdays: extra.value(),
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
    const zone = timeZoneField(form, t, cal?.timeZone);
    const standard = (d: string) => (Number(d) <= 5 ? '09:00-18:00' : '');
    const week = weeklyFields(form, t, 'adminHours', (d) => (cal ? hoursText(cal.weekly[d]) : standard(d)));
    const holidays = daysField(form, t, {
      path: 'holidays',
      label: 'adminHolidays',
      hint: 'adminDaysHint',
      days: cal?.holidays ?? [],
      placeholder: '2026-10-01 National Day',
      rows: 3,
    });
    const extra = daysField(form, t, {
      path: 'extraWorkdays',
      label: 'adminExtraWorkdays',
      hint: 'adminExtraHint',
      days: cal?.extraWorkdays ?? [],
      placeholder: '2026-09-27 Make-up workday',
      rows: 2,
    });
    this.edit(
      h('h4', { text: cal ? t('adminEditing', { name: cal.name }) : t('adminNewCalendar') }),
      form.build(
        cal ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        zone.el,
        week.el,
        holidays.el,
        extra.el,
      ),
    );
  }
}
