/**
 * The admin area (admins only): inboxes, teams, agents, calendars, policies, categories
 * and the audit log, one section at a time, each reloaded when it is opened.
 */
import { fill, h } from '../../../../ui/dom';
import type { ViewContext } from '../context';
import { AgentsSection } from './agents';
import { AuditSection } from './audit';
import { CalendarsSection } from './calendars';
import { CategoriesSection } from './categories';
import { adminApi } from './client';
import { InboxesSection } from './inboxes';
import { PoliciesSection } from './policies';
import type { AdminContext, Lookups, Section } from './section';
import { TeamsSection } from './teams';

export class AdminPane {
  readonly el = h('section', { class: 'admin', 'data-testid': 'admin' });
  private readonly c: AdminContext;
  private readonly sections: Section[];
  private current: Section;
  /** Counts section openings: only the latest one's data is drawn. */
  private opening = 0;
  private readonly nav = h('nav', { class: 'admin-nav', role: 'tablist' });
  private readonly error = h('p', { class: 'admin-error', role: 'alert' });

  constructor(v: ViewContext) {
    this.c = { t: v.t, api: adminApi(v.api.token), locale: v.locale };
    this.sections = [
      new InboxesSection(this.c),
      new TeamsSection(this.c),
      new AgentsSection(this.c),
      new CalendarsSection(this.c),
      new PoliciesSection(this.c),
      new CategoriesSection(this.c),
      new AuditSection(this.c),
    ];
    this.current = this.sections[0]!;
  }

  show(): void {
    this.open(this.current);
  }

  private open(s: Section): void {
    this.current = s;
    fill(
      this.nav,
      ...this.sections.map((x) =>
        h('button', {
          type: 'button',
          role: 'tab',
          'aria-selected': String(x === s),
          'data-testid': `admin-tab-${x.id}`,
          text: this.c.t(x.title),
          onclick: () => this.open(x),
        }),
      ),
    );
    fill(this.el, h('h2', { text: this.c.t('admin') }), this.nav, this.error, s.el);
    this.error.textContent = '';
    s.loading();
    const opening = ++this.opening;
    this.lookups()
      .then((l) => (opening === this.opening ? s.load(l) : undefined))
      .catch((err: unknown) => {
        this.error.textContent = this.c.t('error', {
          message: err instanceof Error ? err.message : String(err),
        });
      });
  }

  private async lookups(): Promise<Lookups> {
    const a = this.c.api;
    const [teams, agents, calendars, inboxes, categories] = await Promise.all([
      a.teams.list(),
      a.agents.list(),
      a.calendars.list(),
      a.inboxes.list(),
      a.categories.list(),
    ]);
    return { teams, agents, calendars, inboxes, categories };
  }
}
