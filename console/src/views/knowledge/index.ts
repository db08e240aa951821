/**
 * The Knowledge tab: every agent lists the articles and searches the published ones;
 * supervisors and admins also write both translations, publish and take them off,
 * delete, and read how the articles help (votes, searches that found nothing).
 */
import { fill, h } from '../../../../ui/dom';
import type { ViewContext } from '../context';
import {
  ARTICLE_LOCALES,
  knowledgeApi,
  searchArticles,
  type Article,
  type ArticleCategory,
  type KnowledgeApi,
  type KnowledgeReport,
} from './client';
import { articleEditor, languageName } from './editor';
import { reportPanel } from './report';
import type { Key } from '../../i18n';

const STATE: Record<string, Key> = {
  draft: 'kbStateDraft',
  published: 'kbStatePublished',
  changed: 'kbStateChanged',
};

export class KnowledgePane {
  readonly el = h('section', { class: 'admin knowledge', 'data-testid': 'knowledge' });
  private readonly api: KnowledgeApi;
  private articles: Article[] = [];
  private categories: ArticleCategory[] = [];
  private report: KnowledgeReport | null = null;
  private readonly editor = h('div', { class: 'admin-editor', 'data-testid': 'kb-editor' });
  private readonly status = h('p', { class: 'admin-notice', role: 'status', 'data-testid': 'kb-notice' });
  private readonly hits = h('ul', { class: 'kb-hits', 'data-testid': 'kb-hits' });
  private readonly query = h('input', { type: 'search', 'data-testid': 'kb-search' });
  private readonly listBox = h('div', { class: 'kb-list' });
  private readonly reportBox = h('div');

  constructor(private readonly v: ViewContext) {
    this.api = knowledgeApi(v.token);
    this.query.placeholder = v.t('kbSearch');
    this.query.setAttribute('aria-label', v.t('kbSearch'));
  }

  private get canEdit(): boolean {
    return this.v.live.isSupervisor;
  }

  private get prefer(): 'en' | 'zh-CN' {
    return this.v.locale.startsWith('zh') ? 'zh-CN' : 'en';
  }

  show(): void {
    this.v.live.attempt(async () => {
      const [articles, categories, report] = await Promise.all([
        this.api.list(),
        this.api.categories(),
        this.canEdit ? this.api.report() : Promise.resolve(null),
      ]);
      this.articles = articles;
      this.categories = categories;
      this.report = report;
      this.render();
    });
  }

  private render(): void {
    const { t } = this.v;
    fill(
      this.el,
      h(
        'div',
        { class: 'admin-head' },
        h('h2', { text: t('knowledge') }),
        this.canEdit
          ? h('button', {
              type: 'button',
              'data-testid': 'kb-new',
              text: t('kbNew'),
              onclick: () => this.edit(null),
            })
          : null,
      ),
      this.status,
      this.editor,
      h(
        'form',
        {
          class: 'kb-search',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            this.search();
          },
        },
        this.query,
        h('button', { type: 'submit', 'data-testid': 'kb-search-go', text: t('search') }),
      ),
      this.hits,
      h('h3', { text: t('kbArticles') }),
      this.listBox,
      this.reportBox,
    );
    this.drawLists();
  }

  private drawLists(): void {
    fill(this.listBox, this.table());
    fill(this.reportBox, this.report ? reportPanel(this.v.t, this.report) : null);
  }

  private table(): HTMLElement {
    const { t, locale } = this.v;
    if (this.articles.length === 0) return h('p', { class: 'admin-hint', text: t('kbNone') });
    const categoryName = (id: string | null) => {
      const c = this.categories.find((x) => x.id === id);
      return c ? (locale.startsWith('zh') ? c.names.zh : c.names.en) : '';
    };
    return h(
      'table',
      { class: 'admin-table', 'data-testid': 'kb-articles' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { text: t('kbTitle') }),
          h('th', { text: t('kbCategory') }),
          ...ARTICLE_LOCALES.map((l) => h('th', { text: languageName(t, l) })),
          h('th', {}),
        ),
      ),
      h(
        'tbody',
        {},
        ...this.articles.map((a) => {
          const own = a.translations[this.prefer] ?? a.translations.en ?? a.translations['zh-CN'];
          const title = (own?.draft ?? own?.published)?.title ?? t('kbUntitled');
          return h(
            'tr',
            { 'data-testid': 'kb-article', 'data-slug': a.slug },
            h('td', { text: title }),
            h('td', { text: categoryName(a.categoryId) }),
            ...ARTICLE_LOCALES.map((l) => {
              const tr = a.translations[l];
              return h(
                'td',
                { 'data-testid': `kb-state-${l}`, 'data-state': tr?.state ?? 'none' },
                t(tr ? STATE[tr.state]! : 'kbStateNone'),
                tr?.url ? ' · ' : null,
                tr?.url
                  ? h('a', { href: tr.url, target: '_blank', rel: 'noopener', text: t('kbView') })
                  : null,
              );
            }),
            h(
              'td',
              {},
              this.canEdit
                ? h('button', {
                    type: 'button',
                    'data-testid': 'kb-edit',
                    text: t('edit'),
                    onclick: () => this.edit(a),
                  })
                : null,
            ),
          );
        }),
      ),
    );
  }

  private edit(article: Article | null): void {
    const { t, locale } = this.v;
    this.status.textContent = '';
    fill(
      this.editor,
      articleEditor(
        {
          t,
          locale,
          api: this.api,
          categories: this.categories,
          changed: (a, message) => {
            if (a) this.edit(a);
            else fill(this.editor);
            this.status.textContent = message ?? '';
            this.refresh();
          },
        },
        article,
      ),
    );
  }

  /** Reloads the list (and report) after a change, keeping the editor open. */
  private refresh(): void {
    this.v.live.attempt(async () => {
      this.articles = await this.api.list();
      if (this.canEdit) this.report = await this.api.report();
      this.drawLists();
    });
  }

  private search(): void {
    const { t } = this.v;
    const q = this.query.value.trim();
    if (!q) return fill(this.hits);
    this.v.live.attempt(async () => {
      const found = await searchArticles(this.api, q, this.prefer);
      fill(
        this.hits,
        ...(found.length
          ? found.map((a) =>
              h(
                'li',
                { 'data-testid': 'kb-hit', 'data-slug': a.slug },
                h('a', { href: a.url, target: '_blank', rel: 'noopener', text: a.title }),
                ' ',
                h('span', { class: 'tag', text: a.locale }),
                h('p', { class: 'preview', text: a.snippet }),
              ),
            )
          : [h('li', { class: 'placeholder', text: t('kbSearchNone', { q }) })]),
      );
    });
  }
}
