/**
 * The composer's canned responses: typing "/" at the start of a reply opens the list,
 * filtered as the agent types by shortcut and title (Chinese too); arrow keys choose,
 * Enter or Tab inserts it with its variables filled from the open conversation.
 */
import { fillVariables } from '../../../shared/canned';
import { fill, h } from '../../../ui/dom';
import type { CannedResponse } from '../api';
import type { ViewContext } from './context';

const MAX_SHOWN = 8;
const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** The responses whose shortcut or title contains `q`, shortcuts that start with it first. */
export function matchCanned(list: CannedResponse[], q: string): CannedResponse[] {
  const k = fold(q);
  const starts = list.filter((c) => c.shortcut.startsWith(k));
  const rest = list.filter(
    (c) => !starts.includes(c) && (c.shortcut.includes(k) || fold(c.title).includes(k)),
  );
  return [...starts, ...rest];
}

export class CannedPicker {
  readonly el = h('ul', {
    class: 'canned-list',
    role: 'listbox',
    'data-testid': 'canned-list',
    hidden: true,
  });
  private list: CannedResponse[] = [];
  private shown: CannedResponse[] = [];
  private selected = 0;

  /** Construct before the composer's own key handling: an open list takes arrows, Enter, Tab and Escape. */
  constructor(
    private readonly v: ViewContext,
    private readonly text: HTMLTextAreaElement,
  ) {
    this.el.setAttribute('aria-label', v.t('canned'));
    v.api
      .cannedResponses()
      .then((r) => (this.list = r.cannedResponses))
      .catch(() => (this.list = []));
    text.addEventListener('input', () => this.update());
    text.addEventListener('keydown', (ev) => this.key(ev));
    text.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
  }

  private get query(): string | null {
    const m = /^\/(\S*)$/u.exec(this.text.value);
    return m ? m[1]! : null;
  }

  private update(): void {
    const q = this.query;
    if (q === null) return this.close();
    this.shown = matchCanned(this.list, q).slice(0, MAX_SHOWN);
    this.selected = Math.min(this.selected, Math.max(0, this.shown.length - 1));
    this.el.hidden = false;
    this.render(q);
  }

  private render(q: string): void {
    const { t } = this.v;
    if (this.shown.length === 0) {
      fill(this.el, h('li', { class: 'placeholder', text: t('cannedNone', { q }) }));
      return;
    }
    fill(
      this.el,
      ...this.shown.map((c, i) =>
        h(
          'li',
          {
            role: 'option',
            class: i === this.selected ? 'selected' : '',
            'aria-selected': String(i === this.selected),
            'data-testid': 'canned-option',
            'data-shortcut': c.shortcut,
            onmousedown: (ev: Event) => {
              ev.preventDefault();
              this.insert(c);
            },
          },
          h('strong', { text: `/${c.shortcut}` }),
          ' ',
          h('span', { class: 'title', text: c.title }),
          h('span', { class: 'preview', text: c.text }),
        ),
      ),
    );
  }

  private key(ev: KeyboardEvent): void {
    if (this.el.hidden || ev.isComposing) return;
    const n = this.shown.length;
    const chosen = this.shown[this.selected];
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (n > 0) this.selected = (this.selected + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.render(this.query ?? '');
    } else if ((ev.key === 'Enter' || ev.key === 'Tab') && chosen && !ev.shiftKey) {
      this.insert(chosen);
    } else if (ev.key === 'Escape') {
      this.close();
    } else return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }

  private insert(c: CannedResponse): void {
    const { live, t } = this.v;
    const conv = live.open?.conversation;
    this.text.value = fillVariables(
      c.text,
      {
        'customer.name': conv?.contactName ?? null,
        'agent.name': live.me.name,
        'conversation.number': conv?.number ?? null,
      },
      { 'customer.name': t('customerFallback') },
    );
    this.close();
    this.text.focus();
    this.text.setSelectionRange(this.text.value.length, this.text.value.length);
    this.text.dispatchEvent(new Event('input'));
  }

  private close(): void {
    this.el.hidden = true;
    this.selected = 0;
    this.shown = [];
  }
}
