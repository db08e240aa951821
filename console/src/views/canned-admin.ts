/**
 * Managing canned responses (supervisors their teams', admins all) and, for admins, the
 * forbidden-phrase list.
 */
import { fill, h } from '../../../ui/dom';
import type { CannedResponse, ForbiddenPhrase, Team } from '../api';
import type { ViewContext } from './context';

export class CannedPane {
  readonly el = h('section', { class: 'canned-admin', 'data-testid': 'canned-admin' });
  private canned: CannedResponse[] = [];
  private phrases: ForbiddenPhrase[] = [];
  private teams: Team[] = [];
  private editing: CannedResponse | null = null;

  constructor(private readonly v: ViewContext) {}

  private get isAdmin(): boolean {
    return this.v.live.me.role === 'admin';
  }

  show(): void {
    const { api, live } = this.v;
    live.attempt(async () => {
      const [c, t, p] = await Promise.all([
        api.cannedResponses(),
        api.teams(),
        this.isAdmin ? api.forbiddenPhrases() : Promise.resolve({ phrases: [] }),
      ]);
      this.canned = c.cannedResponses;
      this.teams = t.teams;
      this.phrases = p.phrases;
      this.render();
    });
  }

  private render(): void {
    const { t } = this.v;
    const teamName = (id: string | null) =>
      id === null ? t('cannedGlobal') : (this.teams.find((x) => x.id === id)?.name ?? id);
    fill(
      this.el,
      h('h2', { text: t('canned') }),
      this.form(),
      h(
        'ul',
        { class: 'canned-items', 'data-testid': 'canned-items' },
        ...this.canned.map((c) =>
          h(
            'li',
            { 'data-testid': 'canned-item', 'data-shortcut': c.shortcut },
            h('strong', { text: `/${c.shortcut}` }),
            ' ',
            h('span', { text: c.title }),
            ' ',
            h('span', { class: 'tag', text: teamName(c.teamId) }),
            h('p', { class: 'preview', text: c.text }),
            c.editable ? this.actions(c) : null,
          ),
        ),
      ),
      this.isAdmin ? this.phraseSection() : null,
    );
  }

  private actions(c: CannedResponse): HTMLElement {
    const { t, api, live } = this.v;
    return h(
      'span',
      { class: 'actions' },
      h('button', {
        type: 'button',
        'data-testid': 'canned-edit',
        text: t('edit'),
        onclick: () => {
          this.editing = c;
          this.render();
        },
      }),
      h('button', {
        type: 'button',
        'data-testid': 'canned-delete',
        text: t('delete'),
        onclick: () =>
          live.attempt(async () => {
            await api.deleteCanned(c.id);
            this.show();
          }),
      }),
    );
  }

  private form(): HTMLElement {
    const { t, api, live } = this.v;
    const e = this.editing;
    const title = h('input', {
      type: 'text',
      'data-testid': 'canned-title',
      'aria-label': t('cannedTitle'),
      placeholder: t('cannedTitle'),
    });
    const shortcut = h('input', {
      type: 'text',
      'data-testid': 'canned-shortcut',
      'aria-label': t('cannedShortcut'),
      placeholder: t('cannedShortcut'),
    });
    const text = h('textarea', {
      rows: 3,
      'data-testid': 'canned-text',
      'aria-label': t('cannedText'),
      placeholder: t('cannedText'),
    });
    const scope = h('select', { 'data-testid': 'canned-scope', 'aria-label': t('cannedScope') });
    if (this.isAdmin) scope.append(h('option', { value: '', text: t('cannedGlobal') }));
    const mine = this.isAdmin ? this.teams : this.teams.filter((x) => live.me.teamIds.includes(x.id));
    for (const tm of mine) scope.append(h('option', { value: tm.id, text: tm.name }));
    title.value = e?.title ?? '';
    shortcut.value = e?.shortcut ?? '';
    text.value = e?.text ?? '';
    if (e) scope.value = e.teamId ?? '';
    return h(
      'form',
      {
        class: 'canned-form',
        'data-testid': 'canned-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          live.attempt(async () => {
            await api.saveCanned(e?.id ?? null, {
              title: title.value,
              shortcut: shortcut.value,
              text: text.value,
              teamId: scope.value || null,
            });
            this.editing = null;
            this.show();
          });
        },
      },
      h('h3', { text: e ? `${t('edit')} /${e.shortcut}` : t('cannedAdd') }),
      h('label', {}, `${t('cannedTitle')} `, title),
      h('label', {}, `${t('cannedShortcut')} /`, shortcut),
      h('label', {}, `${t('cannedScope')} `, scope),
      text,
      h('p', { class: 'hint', text: t('cannedVariables') }),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'canned-save', text: t('save') }),
      e
        ? h('button', {
            type: 'button',
            text: t('cancel'),
            onclick: () => {
              this.editing = null;
              this.render();
            },
          })
        : null,
    );
  }

  private phraseSection(): HTMLElement {
    const { t, api, live } = this.v;
    const phrase = h('input', {
      type: 'text',
      'data-testid': 'phrase-new',
      'aria-label': t('phraseNew'),
      placeholder: t('phraseNew'),
    });
    const hint = h('input', {
      type: 'text',
      'data-testid': 'phrase-hint',
      'aria-label': t('phraseHint'),
      placeholder: t('phraseHint'),
    });
    return h(
      'section',
      { class: 'phrases', 'data-testid': 'phrases' },
      h('h2', { text: t('phrases') }),
      h(
        'form',
        {
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            live.attempt(async () => {
              await api.addPhrase(phrase.value, hint.value.trim() || null);
              this.show();
            });
          },
        },
        phrase,
        hint,
        h('button', { type: 'submit', 'data-testid': 'phrase-add', text: t('phraseAdd') }),
      ),
      h(
        'ul',
        { 'data-testid': 'phrase-items' },
        ...this.phrases.map((p) =>
          h(
            'li',
            { 'data-testid': 'phrase-item' },
            h('strong', { text: p.phrase }),
            p.hint ? h('span', { class: 'hint', text: ` — ${p.hint}` }) : null,
            ' ',
            h('button', {
              type: 'button',
              text: t('delete'),
              onclick: () =>
                live.attempt(async () => {
                  await api.deletePhrase(p.id);
                  this.show();
                }),
            }),
          ),
        ),
      ),
    );
  }
}
