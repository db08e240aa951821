/**
 * The composer's pick lists (canned responses, help-centre articles): a list box of
 * options, one selected; arrow keys move the choice, Enter or Tab takes it, Escape closes.
 */
import { fill, h, type Child } from '../../../ui/dom';

export interface PickListOptions<T> {
  testid: string;
  label: string;
  /** The data-testid of each option. */
  optionTestid: string;
  /** Extra attributes of an option (e.g. `data-shortcut`). */
  attrs?(item: T): Record<string, string>;
  /** An option's contents. */
  render(item: T): Child[];
  /** The option was taken. */
  choose(item: T): void;
}

export class PickList<T> {
  readonly el: HTMLUListElement;
  private shown: T[] = [];
  private selected = 0;
  private empty = '';

  constructor(private readonly o: PickListOptions<T>) {
    this.el = h('ul', { class: 'canned-list', role: 'listbox', 'data-testid': o.testid, hidden: true });
    this.el.setAttribute('aria-label', o.label);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Opens the list with `items`, or `empty` when there are none. */
  show(items: T[], empty: string): void {
    this.shown = items;
    this.empty = empty;
    this.selected = Math.min(this.selected, Math.max(0, items.length - 1));
    this.el.hidden = false;
    this.render();
  }

  close(): void {
    this.el.hidden = true;
    this.selected = 0;
    this.shown = [];
  }

  /** Handles a key of the field the list belongs to; true when the list took it. */
  key(ev: KeyboardEvent): boolean {
    if (this.el.hidden || ev.isComposing) return false;
    const n = this.shown.length;
    const chosen = this.shown[this.selected];
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (n > 0) this.selected = (this.selected + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.render();
    } else if ((ev.key === 'Enter' || ev.key === 'Tab') && chosen && !ev.shiftKey) {
      this.o.choose(chosen);
    } else if (ev.key === 'Escape') {
      this.close();
    } else return false;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    return true;
  }

  private render(): void {
    if (this.shown.length === 0) {
      fill(this.el, h('li', { class: 'placeholder', text: this.empty }));
      return;
    }
    fill(
      this.el,
      ...this.shown.map((item, i) =>
        h(
          'li',
          {
            role: 'option',
            class: i === this.selected ? 'selected' : '',
            'aria-selected': String(i === this.selected),
            'data-testid': this.o.optionTestid,
            ...(this.o.attrs?.(item) ?? {}),
            onmousedown: (ev: Event) => {
              ev.preventDefault();
              this.o.choose(item);
            },
          },
          ...this.o.render(item),
        ),
      ),
    );
  }
}

/** Puts `text` into a composer's field and leaves the caret after it, as typing would. */
export function putText(field: HTMLTextAreaElement, text: string, at = field.value.length): void {
  field.value = field.value.slice(0, at) + text + field.value.slice(at);
  const end = at + text.length;
  field.focus();
  field.setSelectionRange(end, end);
  field.dispatchEvent(new Event('input'));
}
