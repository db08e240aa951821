/** What every admin section is given, and the shape of a section: a list, a form, and a reload. */
import type { AgentView } from '../../../../shared/protocol';
import { fill, h, type Child } from '../../../../ui/dom';
import type { Key, Translate } from '../../i18n';
import type { AdminApi, AdminCalendar, AdminCategory, AdminInbox, AdminTeam } from './client';

export interface AdminContext {
  t: Translate;
  api: AdminApi;
  locale: string;
}

/** What the forms choose from: the teams, agents, calendars, inboxes and categories as last loaded. */
export interface Lookups {
  teams: AdminTeam[];
  agents: AgentView[];
  calendars: AdminCalendar[];
  inboxes: AdminInbox[];
  categories: AdminCategory[];
}

export abstract class Section {
  readonly el: HTMLElement;
  protected readonly list = h('div', { class: 'admin-list' });
  protected readonly editor = h('div', { class: 'admin-editor' });
  protected readonly notice = h('p', {
    class: 'admin-notice',
    role: 'status',
    'data-testid': 'admin-notice',
  });

  constructor(
    protected readonly c: AdminContext,
    readonly id: string,
    readonly title: Key,
  ) {
    this.el = h('section', { class: `admin-section admin-${id}`, 'data-testid': `admin-${id}` });
  }

  /** Loads what the section shows and draws it. */
  abstract load(lookups: Lookups): Promise<void>;

  /**
   * While the section's data is on its way: nothing from the last visit (a list, a form
   * built on an old team list) is left to act on.
   */
  loading(): void {
    this.say('');
    this.closeEditor();
    fill(this.el, h('p', { class: 'placeholder', 'aria-busy': 'true', text: this.c.t('loading') }));
  }

  /** Draws the section's frame: title, a "New …" button, the notice, the editor and the list. */
  protected frame(newLabel: Key | null, openNew: () => void): void {
    const { t } = this.c;
    fill(
      this.el,
      h(
        'div',
        { class: 'admin-head' },
        h('h3', { text: t(this.title) }),
        newLabel
          ? h('button', {
              type: 'button',
              'data-testid': `new-${this.id}`,
              text: t(newLabel),
              onclick: openNew,
            })
          : null,
      ),
      this.notice,
      this.editor,
      this.list,
    );
  }

  protected say(text: string): void {
    this.notice.textContent = text;
  }

  /** Runs an action of a list row; a refusal (a 409's reason) is said above the list. */
  protected async attempt(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.say(err instanceof Error ? err.message : String(err));
    }
  }

  protected edit(...children: Child[]): void {
    fill(this.editor, ...children);
    this.editor.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }

  protected closeEditor(): void {
    fill(this.editor);
  }

  /** A table of rows, or a line saying there is nothing yet. */
  protected table(head: Key[], rows: HTMLTableRowElement[]): HTMLElement {
    const { t } = this.c;
    if (rows.length === 0) return h('p', { class: 'placeholder', text: t('none') });
    return h(
      'table',
      { class: 'admin-table' },
      h('thead', {}, h('tr', {}, ...head.map((k) => h('th', { text: t(k) })))),
      h('tbody', {}, ...rows),
    );
  }
}

export const cell = (...children: Child[]) => h('td', {}, ...children);
