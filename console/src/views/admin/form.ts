/**
 * Admin forms: labelled fields with a hint and an error line each. The server's reasons
 * (`path: reason; path: reason` in a 400) are shown next to the field they name; a
 * reason no field claims, or a 409, is shown above the buttons.
 */
import { fill, h, type Child } from '../../../../ui/dom';
import { ApiError } from '../../api';
import type { Key, Translate } from '../../i18n';

export class AdminForm {
  readonly el: HTMLFormElement;
  private readonly fields = new Map<string, HTMLElement>();
  private readonly general = h('p', { class: 'admin-error', role: 'alert', 'data-testid': 'form-error' });
  /** Client-side checks run before sending: each returns the reason a field is refused, or null. */
  private readonly checks: [string, () => string | null][] = [];

  constructor(
    private readonly t: Translate,
    testid: string,
    private readonly onSubmit: () => Promise<void>,
  ) {
    this.el = h('form', {
      class: 'admin-form',
      'data-testid': testid,
      novalidate: true,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void this.submit();
      },
    });
  }

  /** A labelled control whose server-side name is `path` (errors on `path` or below it land here). */
  field(
    path: string,
    label: Key,
    control: HTMLElement,
    hint?: Key,
    check?: () => string | null,
  ): HTMLElement {
    control.setAttribute('data-field', path);
    control.setAttribute('data-testid', `field-${path}`);
    const error = h('span', { class: 'admin-error', 'data-testid': `error-${path}` });
    this.fields.set(path, error);
    if (check) this.checks.push([path, check]);
    return h(
      'label',
      { class: 'admin-field' },
      h('span', { class: 'admin-label', text: this.t(label) }),
      control,
      hint ? h('small', { class: 'admin-hint', text: this.t(hint) }) : null,
      error,
    );
  }

  /** The form's contents and its buttons. */
  build(submitLabel: Key, ...children: Child[]): HTMLFormElement {
    fill(
      this.el,
      ...children,
      this.general,
      h(
        'div',
        { class: 'admin-buttons' },
        h('button', {
          type: 'submit',
          class: 'primary',
          'data-testid': 'form-submit',
          text: this.t(submitLabel),
        }),
      ),
    );
    return this.el;
  }

  clear(): void {
    for (const e of this.fields.values()) e.textContent = '';
    this.general.textContent = '';
    for (const c of this.el.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  }

  async submit(): Promise<void> {
    this.clear();
    let refused = false;
    for (const [path, check] of this.checks) {
      const reason = check();
      if (reason) {
        this.mark(path, reason);
        refused = true;
      }
    }
    if (refused) return;
    try {
      await this.onSubmit();
    } catch (err) {
      this.show(err);
    }
  }

  /** Shows an error of the API beside the fields it names. */
  show(err: unknown): void {
    if (!(err instanceof ApiError)) {
      this.general.textContent = this.t('error', {
        message: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    if (err.status !== 400) {
      this.general.textContent = err.message;
      return;
    }
    for (const part of err.message.split('; ')) {
      const at = part.indexOf(': ');
      const path = at > 0 ? part.slice(0, at) : '';
      const owner = this.owner(path);
      if (owner) this.mark(owner, part.slice(at + 2));
      else this.general.textContent = [this.general.textContent, part].filter(Boolean).join(' · ');
    }
  }

  /** The field named by `path`, or the nearest one above it (`weekly.1.0` → `weekly.1`). */
  private owner(path: string): string | null {
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '')
      if (this.fields.has(p)) return p;
    return null;
  }

  private mark(path: string, reason: string): void {
    const slot = this.fields.get(path);
    if (!slot) return;
    slot.textContent = [slot.textContent, reason].filter(Boolean).join(' · ');
    this.el.querySelector(`[data-field="${CSS.escape(path)}"]`)?.setAttribute('aria-invalid', 'true');
  }
}

// ---- controls ----

export const input = (props: Record<string, string | number | boolean> = {}) => h('input', props);

export function select(options: [string, string][], value: string | null | undefined): HTMLSelectElement {
  const s = h('select');
  for (const [v, label] of options) s.append(h('option', { value: v, text: label }));
  s.value = value ?? options[0]?.[0] ?? '';
  return s;
}

export function checkbox(checked: boolean): HTMLInputElement {
  const c = h('input', { type: 'checkbox' });
  c.checked = checked;
  return c;
}

/** Checkboxes in a row, one per `[value, label]`; read the chosen values with `checked`. */
export function checkList(
  testid: string,
  items: [string, string][],
  chosen: (v: string) => boolean,
): HTMLElement {
  return h(
    'div',
    { class: 'admin-checks', 'data-testid': testid },
    ...items.map(([v, label]) => {
      const c = checkbox(chosen(v));
      c.value = v;
      return h('label', { class: 'admin-check' }, c, ` ${label}`);
    }),
  );
}

export const checked = (box: HTMLElement) =>
  [...box.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);

/** Comma- or line-separated words, trimmed, empties dropped. */
export const words = (v: string): string[] =>
  v
    .split(/[\n,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A button that asks once more before it acts ("Delete" → "Really delete?"). */
export function confirmButton(t: Translate, label: Key, testid: string, act: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'admin-danger', 'data-testid': testid, text: t(label) });
  b.addEventListener('click', () => {
    if (b.dataset.armed !== 'true') {
      b.dataset.armed = 'true';
      b.textContent = t('adminConfirm');
      return;
    }
    delete b.dataset.armed;
    b.textContent = t(label);
    act();
  });
  return b;
}

/** A read-only text with a Copy button (the widget snippet, a webhook URL). */
export function copyable(t: Translate, label: Key, text: string, testid: string): HTMLElement {
  const box = h('textarea', { readonly: true, rows: text.length > 60 ? 2 : 1, 'data-testid': testid });
  box.value = text;
  const done = h('span', { class: 'admin-hint', 'aria-live': 'polite' });
  const copy = h('button', {
    type: 'button',
    'data-testid': `${testid}-copy`,
    text: t('adminCopy'),
    onclick: () => {
      const copied = () => (done.textContent = t('adminCopied'));
      const byHand = () => {
        box.select();
        if (document.execCommand('copy')) copied();
      };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(copied, byHand);
      else byHand();
    },
  });
  return h(
    'div',
    { class: 'admin-copy' },
    h('span', { class: 'admin-label', text: t(label) }),
    box,
    copy,
    done,
  );
}
