/**
 * The rota (supervisors and admins): a team's shifts with who is on them and when each
 * runs, and the shift editor — name, team, agents, time zone, weekly hours, days off and
 * holiday duty — built from the admin area's form and the calendar editor's hour fields.
 */
import type { AgentView, ShiftView } from '../../../../shared/protocol';
import { h } from '../../../../ui/dom';
import type { AdminTeam } from '../admin/client';
import { AdminForm, checked, checkList, confirmButton, input, select } from '../admin/form';
import { cell, Section, type AdminContext } from '../admin/section';
import { dayText, daysField, hoursText, timeZoneField, weekLines, weeklyFields } from '../hours-fields';
import type { ShiftsApi } from './api';
import { shiftStatus } from './words';

/** A shift's dated entries in a table cell: "Holiday duty 2026-10-02 09:00-17:00". */
const dated = (label: string, days: ShiftView['dutyDays']) =>
  dayText(days)
    .split('\n')
    .filter(Boolean)
    .map((line) => h('div', { class: 'admin-hint', text: `${label} ${line}` }));

export class RotaSection extends Section {
  private teams: AdminTeam[] = [];
  private agents: AgentView[] = [];
  private shifts: ShiftView[] = [];
  private readonly team = select([], null);

  constructor(
    c: AdminContext,
    private readonly shiftsApi: ShiftsApi,
  ) {
    super(c, 'shifts', 'shiftsRota');
    this.team.setAttribute('data-testid', 'shifts-team');
    this.team.setAttribute('aria-label', c.t('team'));
    this.team.addEventListener('change', () => void this.attempt(() => this.reload()));
  }

  async load(): Promise<void> {
    const { t } = this.c;
    const [teams, agents] = await Promise.all([this.c.api.teams.list(), this.c.api.agents.list()]);
    this.teams = teams;
    this.agents = agents.filter((a) => a.active !== false);
    const chosen = this.team.value;
    this.team.replaceChildren(
      h('option', { value: '', text: t('shiftsAllTeams') }),
      ...teams.map((x) => h('option', { value: x.id, text: x.name })),
    );
    this.team.value = teams.some((x) => x.id === chosen) ? chosen : '';
    this.frame('shiftsNew', () => this.form(null));
    this.el.querySelector('.admin-head')?.append(this.team);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.shifts = await this.shiftsApi.list(this.team.value || null);
    this.draw();
  }

  private draw(): void {
    const { t, locale } = this.c;
    const teamName = (id: string) => this.teams.find((x) => x.id === id)?.name ?? '—';
    const names = (ids: string[]) =>
      ids.map((id) => this.agents.find((a) => a.id === id)?.name ?? '—').join(', ') || t('shiftsNobody');
    const rows = this.shifts.map((s) =>
      h(
        'tr',
        { 'data-testid': 'shift-row', 'data-id': s.id },
        cell(h('strong', { text: s.name })),
        cell(teamName(s.teamId)),
        cell(h('span', { 'data-testid': 'shift-agents', text: names(s.agentIds) })),
        cell(
          ...weekLines(t, s.weekly, null),
          ...dated(t('shiftsOffDays'), s.offDays),
          ...dated(t('shiftsDutyDays'), s.dutyDays),
          h('div', { class: 'admin-hint', text: s.timeZone }),
        ),
        cell(shiftStatus(s, t, locale)),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'shift-edit',
            text: t('adminEdit'),
            onclick: () => this.form(s),
          }),
          confirmButton(t, 'adminDelete', 'shift-delete', () => void this.remove(s)),
        ),
      ),
    );
    this.list.replaceChildren(
      this.table(['adminName', 'team', 'shiftsAgents', 'shiftsHours', 'shiftsStatus', 'adminActions'], rows),
    );
  }

  private async remove(s: ShiftView): Promise<void> {
    await this.attempt(async () => {
      await this.shiftsApi.remove(s.id);
      this.shifts = this.shifts.filter((x) => x.id !== s.id);
      this.say(this.c.t('adminDeleted', { name: s.name }));
      this.draw();
    });
  }

  private form(s: ShiftView | null): void {
    const { t } = this.c;
    const name = input({ maxlength: 100, value: s?.name ?? '' });
    const team = select(
      [['', '—'], ...this.teams.map((x): [string, string] => [x.id, x.name])],
      s?.teamId ?? this.team.value,
    );
    // A shift stays with its team; its people are chosen from that team.
    if (s) team.disabled = true;
    const people = h('div');
    const drawPeople = () => {
      const keep = new Set(people.firstElementChild ? checked(people) : (s?.agentIds ?? []));
      const members = this.agents.filter((a) => a.teamIds.includes(team.value) || keep.has(a.id));
      people.replaceChildren(
        checkList(
          'shift-agents-choice',
          members.map((a) => [a.id, a.name]),
          (id) => keep.has(id),
        ),
      );
    };
    team.addEventListener('change', drawPeople);
    drawPeople();
    const form: AdminForm = new AdminForm(t, 'shift-form', async () => {
      const body = {
        name: name.value.trim(),
        agentIds: checked(people),
        timeZone: zone.value(),
        weekly: week.value(),
        offDays: offDays.value(),
        dutyDays: dutyDays.value(),
      };
      const saved = s
        ? await this.shiftsApi.update(s.id, body)
        : await this.shiftsApi.create({ teamId: team.value, ...body });
      this.shifts = [...this.shifts.filter((x) => x.id !== saved.id), saved].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      this.closeEditor();
      this.say(t('adminSaved', { name: saved.name }));
      this.draw();
    });
    const zone = timeZoneField(form, t, s?.timeZone);
    const week = weeklyFields(form, t, 'shiftsHours', (d) => hoursText(s?.weekly[d as '1']));
    const offDays = daysField(form, t, {
      path: 'offDays',
      label: 'shiftsOffDays',
      hint: 'shiftsOffDaysHint',
      days: s?.offDays ?? [],
      placeholder: t('shiftsOffDaysExample'),
      rows: 2,
    });
    const dutyDays = daysField(form, t, {
      path: 'dutyDays',
      label: 'shiftsDutyDays',
      hint: 'shiftsDutyDaysHint',
      days: s?.dutyDays ?? [],
      placeholder: t('shiftsDutyDaysExample'),
      rows: 2,
    });
    this.edit(
      h('h4', { text: s ? t('adminEditing', { name: s.name }) : t('shiftsNew') }),
      form.build(
        s ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        form.field('teamId', 'team', team, undefined, () => (team.value ? null : t('adminRequired'))),
        form.field('agentIds', 'shiftsAgents', h('span'), 'shiftsAgentsHint'),
        people,
        zone.el,
        week.el,
        offDays.el,
        dutyDays.el,
      ),
    );
  }
}
