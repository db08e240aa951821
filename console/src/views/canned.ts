/**
 * The composer's canned responses: typing "/" at the start of a reply opens the list,
 * filtered as the agent types by shortcut and title (Chinese too); arrow keys choose,
 * Enter or Tab inserts it with its variables filled from the open conversation.
 */
import { fillVariables } from '../../../shared/canned';
import { h } from '../../../ui/dom';
import type { CannedResponse } from '../api';
import type { ViewContext } from './context';
import { PickList, putText } from './pick-list';

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
  private list: CannedResponse[] = [];
  private readonly pick: PickList<CannedResponse>;

  /** Construct before the composer's own key handling: an open list takes arrows, Enter, Tab and Escape. */
  constructor(
    private readonly v: ViewContext,
    private readonly text: HTMLTextAreaElement,
  ) {
    this.pick = new PickList<CannedResponse>({
      testid: 'canned-list',
      label: v.t('canned'),
      optionTestid: 'canned-option',
      attrs: (c) => ({ 'data-shortcut': c.shortcut }),
      render: (c) => [
        h('strong', { text: `/${c.shortcut}` }),
        ' ',
        h('span', { class: 'title', text: c.title }),
        h('span', { class: 'preview', text: c.text }),
      ],
      choose: (c) => this.insert(c),
    });
    v.api
      .cannedResponses()
      .then((r) => {
        this.list = r.cannedResponses;
        // "/" typed while the list was still on its way: show it now.
        if (this.query !== null) this.update();
      })
      .catch(() => (this.list = []));
    text.addEventListener('input', () => this.update());
    text.addEventListener('keydown', (ev) => this.pick.key(ev));
    text.addEventListener('blur', () => window.setTimeout(() => this.pick.close(), 150));
  }

  get el(): HTMLElement {
    return this.pick.el;
  }

  private get query(): string | null {
    const m = /^\/(\S*)$/u.exec(this.text.value);
    return m ? m[1]! : null;
  }

  private update(): void {
    const q = this.query;
    if (q === null) return this.pick.close();
    this.pick.show(matchCanned(this.list, q).slice(0, MAX_SHOWN), this.v.t('cannedNone', { q }));
  }

  private insert(c: CannedResponse): void {
    const { live, t } = this.v;
    const conv = live.open?.conversation;
    this.pick.close();
    this.text.value = '';
    putText(
      this.text,
      fillVariables(
        c.text,
        {
          'customer.name': conv?.contactName ?? null,
          'agent.name': live.me.name,
          'conversation.number': conv?.number ?? null,
        },
        { 'customer.name': t('customerFallback') },
      ),
    );
  }
}
