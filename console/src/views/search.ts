/** Search: conversations by words in their messages, the customer's name, email or phone, or number; a result opens the conversation. */
import { fill, h } from '../../../ui/dom';
import type { Key } from '../i18n';
import type { SearchHit } from '../api';
import { channelBadge, contactLabel, time, type ViewContext } from './context';

export class SearchPane {
  readonly el = h('section', { class: 'search', 'data-testid': 'search' });
  private readonly box = h('input', { type: 'search', 'data-testid': 'search-box' });
  private readonly results = h('ul', { class: 'search-results', 'data-testid': 'search-results' });
  private timer: number | undefined;
  private asked = '';

  constructor(private readonly v: ViewContext) {
    this.box.placeholder = v.t('searchPlaceholder');
    this.box.setAttribute('aria-label', v.t('search'));
    this.box.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.run(), 250);
    });
    this.box.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      window.clearTimeout(this.timer);
      this.run();
    });
    fill(this.el, h('h2', { text: v.t('search') }), this.box, this.results);
  }

  show(): void {
    this.box.focus();
  }

  private run(): void {
    const q = this.box.value.trim();
    this.asked = q;
    if (!q) return fill(this.results);
    this.v.live.attempt(async () => {
      const { results } = await this.v.api.search(q);
      if (this.asked === q) this.render(results);
    });
  }

  private render(hits: SearchHit[]): void {
    const { t, locale } = this.v;
    if (hits.length === 0)
      return fill(this.results, h('li', { class: 'placeholder', text: t('searchNone') }));
    const kind: Record<SearchHit['match'], Key> = {
      number: 'matchNumber',
      message: 'matchMessage',
      contact: 'matchContact',
    };
    fill(
      this.results,
      ...hits.map((hit) =>
        h(
          'li',
          { 'data-testid': 'search-result', 'data-conversation-id': hit.conversation.id },
          h('button', {
            class: 'link',
            text: contactLabel(hit.conversation),
            onclick: () => this.v.open(hit.conversation.id),
          }),
          ' ',
          channelBadge(hit.conversation.channel),
          ' ',
          h('span', { class: `status st-${hit.conversation.status}`, text: t(hit.conversation.status) }),
          ' ',
          h('span', { class: 'tag', text: t(kind[hit.match]) }),
          ' ',
          h('time', {
            datetime: hit.conversation.lastMessageAt,
            text: time(hit.conversation.lastMessageAt, locale),
          }),
          hit.snippet
            ? h('p', { class: 'snippet', 'data-testid': 'search-snippet', text: hit.snippet })
            : null,
        ),
      ),
    );
  }
}
