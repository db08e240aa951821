/** Agents: role, capacity, skills and teams; enable/disable; a new password set by the admin. */
import type { AgentView } from '../../../../shared/protocol';
import { h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import { AdminForm, checkbox, input, select, words } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

const ROLES = ['agent', 'supervisor', 'admin'];

export class AgentsSection extends Section {
  private lookups: Lookups | null = null;

  constructor(c: AdminContext) {
    super(c, 'agents', 'adminAgents');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame('adminNewAgent', () => this.form(null));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const { agents, teams } = this.lookups!;
    const teamName = (id: string) => teams.find((x) => x.id === id)?.name ?? '—';
    const rows = agents.map((a) =>
      h(
        'tr',
        { 'data-testid': 'agent-row', 'data-id': a.id, class: a.active === false ? 'admin-off' : '' },
        cell(h('strong', { text: a.name }), h('br'), h('small', { text: a.email })),
        cell(t(`adminRole_${a.role}` as Key)),
        cell(String(a.capacity)),
        cell(a.skills.join(', ')),
        cell(a.teamIds.map(teamName).join(', ')),
        cell(t(a.active === false ? 'adminDisabled' : 'adminActive')),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'agent-edit',
            text: t('adminEdit'),
            onclick: () => this.form(a),
          }),
          h('button', {
            type: 'button',
            'data-testid': 'agent-toggle',
            text: t(a.active === false ? 'adminEnable' : 'adminDisable'),
            onclick: () => void this.update(a, { active: a.active === false }),
          }),
          h('button', {
            type: 'button',
            'data-testid': 'agent-password',
            text: t('adminResetPassword'),
            onclick: () => this.password(a),
          }),
        ),
      ),
    );
    this.list.replaceChildren(
      this.table(
        [
          'adminName',
          'adminRole',
          'adminCapacity',
          'adminSkills',
          'adminTeams',
          'adminStatus',
          'adminActions',
        ],
        rows,
      ),
    );
  }

  private async update(a: AgentView, patch: Record<string, unknown>): Promise<void> {
    await this.attempt(async () => {
      this.replace(await this.c.api.agents.update(a.id, patch));
      this.say(this.c.t('adminSaved', { name: a.name }));
    });
  }

  private replace(next: AgentView): void {
    const l = this.lookups!;
    l.agents = [...l.agents.filter((x) => x.id !== next.id), next].sort((x, y) =>
      x.name.localeCompare(y.name),
    );
    this.draw();
  }

  private password(a: AgentView): void {
    const { t } = this.c;
    const pw = input({ type: 'password', autocomplete: 'new-password', minlength: 8 });
    const form = new AdminForm(t, 'password-form', async () => {
      await this.c.api.agents.update(a.id, { password: pw.value });
      this.closeEditor();
      this.say(t('adminPasswordSet', { name: a.name }));
    });
    this.edit(
      h('h4', { text: t('adminResetPasswordOf', { name: a.name }) }),
      form.build(
        'save',
        form.field('password', 'adminNewPassword', pw, 'adminPasswordHint', () => passwordCheck(t, pw.value)),
      ),
    );
  }

  private form(a: AgentView | null): void {
    const { t } = this.c;
    const { teams } = this.lookups!;
    const name = input({ maxlength: 200, value: a?.name ?? '' });
    const email = input({ type: 'email', maxlength: 320, value: a?.email ?? '', autocomplete: 'off' });
    const password = input({ type: 'password', autocomplete: 'new-password', minlength: 8 });
    const role = select(
      ROLES.map((r) => [r, t(`adminRole_${r}` as Key)]),
      a?.role ?? 'agent',
    );
    const capacity = input({ type: 'number', min: 0, max: 100, value: a?.capacity ?? 5 });
    const skills = input({ value: a?.skills.join(', ') ?? '' });
    const boxes = teams.map((team) => {
      const c = checkbox(a?.teamIds.includes(team.id) ?? false);
      c.value = team.id;
      c.setAttribute('data-testid', 'agent-team');
      c.setAttribute('data-team', team.name);
      return h('label', { class: 'admin-check' }, c, ` ${team.name}`);
    });
    const teamBox = h('div', { class: 'admin-checks' }, ...boxes);
    const form = new AdminForm(t, 'agent-form', async () => {
      const body: Record<string, unknown> = {
        name: name.value.trim(),
        email: email.value.trim(),
        role: role.value,
        capacity: Number(capacity.value),
        skills: words(skills.value),
        teamIds: [...teamBox.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value),
      };
      if (!a) body.password = password.value;
      const saved = a ? await this.c.api.agents.update(a.id, body) : await this.c.api.agents.create(body);
      this.closeEditor();
      this.replace(saved);
      this.say(t('adminSaved', { name: saved.name }));
    });
    const capacityCheck = () => {
      const n = Number(capacity.value);
      return capacity.value !== '' && Number.isInteger(n) && n >= 0 && n <= 100
        ? null
        : t('adminCapacityHint');
    };
    this.edit(
      h('h4', { text: a ? t('adminEditing', { name: a.name }) : t('adminNewAgent') }),
      form.build(
        a ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        form.field('email', 'email', email, undefined, () =>
          /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim()) ? null : t('adminBadEmail'),
        ),
        a
          ? null
          : form.field('password', 'password', password, 'adminPasswordHint', () =>
              passwordCheck(t, password.value),
            ),
        form.field('role', 'adminRole', role),
        form.field('capacity', 'adminCapacity', capacity, 'adminCapacityHint', capacityCheck),
        form.field('skills', 'adminSkills', skills, 'adminListHint'),
        h('fieldset', { class: 'admin-field' }, h('legend', { text: t('adminTeams') }), teamBox),
      ),
    );
  }
}

function passwordCheck(t: AdminContext['t'], pw: string): string | null {
  return pw.length >= 8 ? null : t('adminPasswordHint');
}
