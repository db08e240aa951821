/** Teams: first or second line, their members (added and removed here), rename, delete when empty. */
import type { AgentView } from '../../../../shared/protocol';
import { h } from '../../../../ui/dom';
import type { AdminTeam } from './client';
import { AdminForm, confirmButton, input, select } from './form';
import { cell, Section, type AdminContext, type Lookups } from './section';

export class TeamsSection extends Section {
  private lookups: Lookups | null = null;

  constructor(c: AdminContext) {
    super(c, 'teams', 'adminTeams');
  }

  async load(lookups: Lookups): Promise<void> {
    this.lookups = lookups;
    this.frame('adminNewTeam', () => this.form(null));
    this.draw();
  }

  private draw(): void {
    const { t } = this.c;
    const { teams, agents } = this.lookups!;
    const rows = teams.map((team) => {
      const members = agents.filter((a) => a.teamIds.includes(team.id));
      const others = agents.filter((a) => !a.teamIds.includes(team.id));
      const add = select(
        [['', t('adminAddMember')], ...others.map((a): [string, string] => [a.id, a.name])],
        '',
      );
      add.setAttribute('aria-label', t('adminAddMember'));
      add.setAttribute('data-testid', 'team-add-member');
      add.addEventListener('change', () => {
        const agent = agents.find((a) => a.id === add.value);
        if (agent) void this.membership(agent, [...agent.teamIds, team.id]);
      });
      return h(
        'tr',
        { 'data-testid': 'team-row', 'data-id': team.id },
        cell(
          h('strong', { text: team.name }),
          team.description ? h('small', { class: 'admin-hint', text: ` ${team.description}` }) : null,
        ),
        cell(t(team.tier === 'second' ? 'adminTierSecond' : 'adminTierFirst')),
        cell(
          h(
            'ul',
            { class: 'labels' },
            ...members.map((a) =>
              h(
                'li',
                { class: 'chip', 'data-testid': 'team-member' },
                h('span', { text: a.name }),
                h('button', {
                  type: 'button',
                  'aria-label': t('adminRemoveMember', { name: a.name }),
                  text: '×',
                  onclick: () =>
                    void this.membership(
                      a,
                      a.teamIds.filter((x) => x !== team.id),
                    ),
                }),
              ),
            ),
          ),
          others.length ? add : null,
        ),
        cell(
          h('button', {
            type: 'button',
            'data-testid': 'team-edit',
            text: t('adminEdit'),
            onclick: () => this.form(team),
          }),
          confirmButton(t, 'adminDelete', 'team-delete', () => void this.remove(team)),
        ),
      );
    });
    this.list.replaceChildren(this.table(['adminName', 'adminTier', 'adminMembers', 'adminActions'], rows));
  }

  private async membership(agent: AgentView, teamIds: string[]): Promise<void> {
    await this.attempt(async () => {
      const next = await this.c.api.agents.update(agent.id, { teamIds });
      const l = this.lookups!;
      l.agents = l.agents.map((a) => (a.id === next.id ? next : a));
      this.draw();
    });
  }

  private async remove(team: AdminTeam): Promise<void> {
    await this.attempt(async () => {
      await this.c.api.teams.remove(team.id);
      this.lookups!.teams = this.lookups!.teams.filter((x) => x.id !== team.id);
      this.say(this.c.t('adminDeleted', { name: team.name }));
      this.draw();
    });
  }

  private form(team: AdminTeam | null): void {
    const { t } = this.c;
    const name = input({ maxlength: 200, value: team?.name ?? '' });
    const description = input({ maxlength: 2000, value: team?.description ?? '' });
    const tier = select(
      [
        ['first', t('adminTierFirst')],
        ['second', t('adminTierSecond')],
      ],
      team?.tier ?? 'first',
    );
    const form = new AdminForm(t, 'team-form', async () => {
      const body = { name: name.value.trim(), description: description.value.trim(), tier: tier.value };
      const saved = team ? await this.c.api.teams.update(team.id, body) : await this.c.api.teams.create(body);
      const l = this.lookups!;
      l.teams = [...l.teams.filter((x) => x.id !== saved.id), saved].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      this.say(t('adminSaved', { name: saved.name }));
      this.closeEditor();
      this.draw();
    });
    this.edit(
      h('h4', { text: team ? t('adminEditing', { name: team.name }) : t('adminNewTeam') }),
      form.build(
        team ? 'save' : 'adminCreate',
        form.field('name', 'adminName', name, undefined, () =>
          name.value.trim() ? null : t('adminRequired'),
        ),
        form.field('tier', 'adminTier', tier, 'adminTierHint'),
        form.field('description', 'adminDescription', description),
      ),
    );
  }
}
