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
  /** Rebuilt on each classification change. */
  private readonly fields = h('div', { class: 'classify-fields' });
  /**
   * The label being typed stays one element, never detached: its text and focus survive
   * a rebuild caused by someone else's change (or by auto-classification).
   */
  private readonly input: HTMLInputElement;
  private readonly addButton: HTMLButtonElement;
  private shown = '';
  private categories: Category[] = [];
  private current: ConversationView | null = null;

  constructor(private readonly v: ViewContext) {
    const { t } = v;
    this.input = h('input', {
      'aria-label': t('addLabel'),
      placeholder: t('addLabel'),
      maxlength: 40,
      'data-testid': 'label-input',
    });
    this.addButton = h('button', {
      type: 'button',
      'data-testid': 'label-add',
      text: t('add'),
      onclick: () => this.addLabel(),
    });
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.isComposing) {
        ev.preventDefault();
        this.addLabel();
      }
    });
    this.el.append(this.fields, this.input, this.addButton);
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

  private change(p: { category?: string | null; labels?: string[]; priority?: number }): void {
    const c = this.current;
    if (c) this.v.live.attempt(() => this.v.live.classify(c.id, p));
  }

  private addLabel(): void {
    const c = this.current;
    const label = this.input.value.trim();
    if (!c || !label) return;
    this.input.value = '';
    if (!c.labels.includes(label)) this.change({ labels: [...c.labels, label] });
  }

  render(c: ConversationView): void {
    if (this.current && this.current.id !== c.id) this.input.value = '';
    this.current = c;
    const key = JSON.stringify([c.id, c.category, c.labels, c.priority, this.categories.length]);
    if (key === this.shown) return;
    this.shown = key;
    const { t } = this.v;
    const name = (cat: Category) => (this.v.locale === 'zh-CN' ? cat.names.zh : cat.names.en);

    const category = h('select', { 'aria-label': t('category'), 'data-testid': 'category' });
    category.append(h('option', { value: '', text: t('uncategorised') }));
    for (const cat of this.categories)
      if (cat.enabled || cat.key === c.category)
        category.append(h('option', { value: cat.key, text: name(cat) }));
    category.value = c.category ?? '';
    category.addEventListener('change', () => this.change({ category: category.value || null }));

    const priority = h('select', { 'aria-label': t('priority'), 'data-testid': 'priority' });
    PRIORITIES.forEach((p, i) => priority.append(h('option', { value: String(i), text: t(p) })));
    priority.value = String(c.priority);
    priority.addEventListener('change', () => this.change({ priority: Number(priority.value) }));

    const room = c.labels.length < 20;
    this.input.hidden = !room;
    this.addButton.hidden = !room;
    fill(
      this.fields,
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
              onclick: () => this.change({ labels: c.labels.filter((x) => x !== l) }),
            }),
          ),
        ),
      ),
    );
  }
}
