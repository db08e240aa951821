/**
 * The composer's article picker: "Article" opens a search of the published help-centre
 * articles; the agent picks one (arrow keys and Enter, or a click) and its title and
 * public address, in the conversation's language when it has that translation, are put
 * into the reply where the caret was. The conversation's language is the customer's
 * (their `locale` attribute, as the widget reports it), else what they write (Chinese
 * when in Han characters), else the console's.
 */
import { h } from '../../../../ui/dom';
import type { ViewContext } from '../context';
import { PickList, putText } from '../pick-list';
import {
  articleLocale,
  conversationLocale,
  knowledgeApi,
  searchArticles,
  type ArticleHit,
  type ArticleLocale,
} from './client';

const WAIT_MS = 250;

export class ArticleLinkPicker {
  readonly button: HTMLButtonElement;
  readonly el = h('div', { class: 'kb-picker', 'data-testid': 'kb-picker', hidden: true });
  private readonly query = h('input', { type: 'search', 'data-testid': 'kb-picker-search' });
  private readonly pick: PickList<ArticleHit>;
  private caret = 0;
  private timer: number | undefined;
  private asked = 0;
  /** The customer's own language, once looked up for the open conversation. */
  private customer: { contactId: string; locale: Promise<ArticleLocale | null> } | null = null;

  constructor(
    private readonly v: ViewContext,
    private readonly text: HTMLTextAreaElement,
  ) {
    const { t } = v;
    const api = knowledgeApi(v.token);
    this.button = h('button', {
      type: 'button',
      class: 'kb-pick',
      'data-testid': 'kb-pick',
      title: t('kbPickArticle'),
      'aria-label': t('kbPickArticle'),
      'aria-expanded': 'false',
      text: t('kbArticle'),
      onclick: () => (this.el.hidden ? this.open() : this.close()),
    });
    this.pick = new PickList<ArticleHit>({
      testid: 'kb-picker-list',
      label: t('kbPickArticle'),
      optionTestid: 'kb-picker-option',
      attrs: (a) => ({ 'data-slug': a.slug, 'data-locale': a.locale }),
      render: (a) => [
        h('span', { class: 'title', text: a.title }),
        ' ',
        h('span', { class: 'tag', text: a.locale }),
        h('span', { class: 'preview', text: a.snippet }),
      ],
      choose: (a) => this.insert(a),
    });
    this.query.placeholder = t('kbPickPrompt');
    this.query.setAttribute('aria-label', t('kbPickArticle'));
    this.query.addEventListener('keydown', (ev) => {
      if (this.pick.key(ev)) return;
      if (ev.key === 'Escape' || ev.key === 'Enter') {
        ev.preventDefault();
        if (ev.key === 'Escape') {
          this.close();
          this.text.focus();
        }
      }
    });
    this.query.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      const q = this.query.value.trim();
      if (!q) return this.pick.close();
      this.timer = window.setTimeout(() => {
        const mine = ++this.asked;
        this.prefer()
          .then((prefer) => searchArticles(api, q, prefer))
          .then((hits) => {
            if (mine === this.asked && !this.el.hidden) this.pick.show(hits, t('kbSearchNone', { q }));
          })
          .catch((err: unknown) => v.live.attempt(() => Promise.reject(err)));
      }, WAIT_MS);
    });
    this.el.append(this.query, this.pick.el);
  }

  private async prefer(): Promise<ArticleLocale> {
    const open = this.v.live.open;
    const own =
      this.customer?.contactId === open?.conversation.contactId ? await this.customer?.locale : null;
    const said = (open?.messages ?? []).filter((m) => m.sender.type === 'contact').map((m) => m.text);
    return own ?? conversationLocale(said) ?? articleLocale(this.v.locale) ?? 'en';
  }

  private lookUpCustomer(): void {
    const contactId = this.v.live.open?.conversation.contactId;
    if (!contactId || this.customer?.contactId === contactId) return;
    const locale = this.v.api
      .contactDetails(contactId)
      .then((d) => articleLocale(String(d.attributes.locale ?? '')))
      .catch(() => null);
    this.customer = { contactId, locale };
  }

  private open(): void {
    this.caret = this.text.selectionEnd ?? this.text.value.length;
    this.lookUpCustomer();
    this.el.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    this.query.value = '';
    this.pick.close();
    this.query.focus();
  }

  private close(): void {
    window.clearTimeout(this.timer);
    this.asked++;
    this.pick.close();
    this.el.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  private insert(a: ArticleHit): void {
    this.close();
    const before = this.text.value.slice(0, this.caret);
    const gap = before && !/\s$/u.test(before) ? ' ' : '';
    putText(this.text, `${gap}${a.title} ${new URL(a.url, location.origin).href}`, this.caret);
  }
}
