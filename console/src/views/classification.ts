/**
 * The open conversation's classification bar: category (localized names), priority and
 * label chips. Rebuilt only when the conversation's classification changes, so a label
 * being typed survives the pane's other live updates.
 */
import type { ConversationView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
import type { Category } from '../api';
import type { Key } from '../i18n';
import type { ViewContext } from './context';

const PRIORITIES: Key[] = ['priorityLow', 'priorityNormal', 'priorityHigh', 'priorityUrgent'];

export class ClassificationBar {
  readonly el = h('div', { class: 'classify', 'data-testid': 'classification' });
  private shown = '';
  private categories: Category[] = [];

  constructor(private readonly v: ViewContext) {
    this.v.api
      .categories()
      .then((r) => {
        this.categories = r.categories;
        this.shown = '';
        const open = this.v.live.open;
        if (open) this.render(open.conversation);
      })
      .catch(() => (this.categories = []));
  }

  render(c: ConversationView): void {
    const key = JSON.stringify([c.id, c.category, c.labels, c.priority]);
    if (key === this.shown) return;
    this.shown = key;
    const { t, live } = this.v;
    const change = (p: { category?: string | null; labels?: string[]; priority?: number }) =>
      live.attempt(() => live.classify(c.id, p));
    const name = (cat: Category) => (this.v.locale === 'zh-CN' ? cat.names.zh : cat.names.en);

    const category = h('select', { 'aria-label': t('category'), 'data-testid': 'category' });
    category.append(h('option', { value: '', text: t('uncategorised') }));
    for (const cat of this.categories)
      if (cat.enabled || cat.key === c.category)
        category.append(h('option', { value: cat.key, text: name(cat) }));
    category.value = c.category ?? '';
    category.addEventListener('change', () => change({ category: category.value || null }));

    const priority = h('select', { 'aria-label': t('priority'), 'data-testid': 'priority' });
    PRIORITIES.forEach((p, i) => priority.append(h('option', { value: String(i), text: t(p) })));
    priority.value = String(c.priority);
    priority.addEventListener('change', () => change({ priority: Number(priority.value) }));

    const input = h('input', {
      'aria-label': t('addLabel'),
      placeholder: t('addLabel'),
      maxlength: 40,
      'data-testid': 'label-input',
    });
    const add = () => {
      const label = input.value.trim();
      if (label) change({ labels: [...c.labels, label] });
    };
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.isComposing) {
        ev.preventDefault();
        add();
      }
    });
    fill(
      this.el,
      h('label', {}, h('span', { text: t('category') }), category),
      h('label', {}, h('span', { text: t('priority') }), priority),
      h(
        'ul',
        { class: 'labels', 'aria-label': t('labels'), 'data-testid': 'labels' },
        ...c.labels.map((l) =>
          h(
            'li',
            { class: 'chip', 'data-testid': 'label' },
            h('span', { text: l }),
            h('button', {
              type: 'button',
              'aria-label': t('removeLabel', { label: l }),
              'data-testid': 'label-remove',
              text: '×',
              onclick: () => change({ labels: c.labels.filter((x) => x !== l) }),
            }),
          ),
        ),
      ),
      c.labels.length < 20 ? input : null,
      c.labels.length < 20
        ? h('button', { type: 'button', 'data-testid': 'label-add', text: t('add'), onclick: add })
        : null,
    );
  }
}
