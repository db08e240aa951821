/**
 * Help-centre articles that may answer what the visitor is typing, before and during a
 * chat: up to three, fetched from the public search a moment after typing stops (nothing
 * for very short text), each opening the article in a new tab. The text a visitor sends
 * is searched once more as their final question, so a question the articles do not
 * answer is counted for the team's report.
 */
import { h, fill, safeUrl } from '../../ui/dom';
import type { Locale } from '../../ui/locale';
import type { Translate } from './i18n';

interface ArticleHit {
  title: string;
  url: string;
}

const DEBOUNCE_MS = 350;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Too short to search for: under 3 letters, or under 2 Chinese characters. */
export const tooShort = (text: string) => [...text].length < (CJK.test(text) ? 2 : 3);

export class Suggestions {
  readonly el = h('div', {
    class: 'suggestions',
    'data-testid': 'suggestions',
    hidden: true,
    'aria-live': 'polite',
  });
  private timer: number | undefined;
  private asked = 0;
  /** The last text looked up and how many articles it found. */
  private last: { q: string; found: number } | null = null;

  constructor(
    private readonly t: Translate,
    private readonly origin: string,
    private readonly locale: Locale,
    private readonly inboxKey: string,
  ) {}

  /** The visitor typed: look up after a pause. */
  typed(text: string): void {
    window.clearTimeout(this.timer);
    const q = text.trim().slice(0, 200);
    if (tooShort(q)) return this.clear();
    this.timer = window.setTimeout(() => void this.lookUp(q), DEBOUNCE_MS);
  }

  /** The visitor sent `text`: suggestions go; a question nothing answered is counted. */
  sent(text: string, countMiss: boolean): void {
    const q = text.trim().slice(0, 200);
    const answered = this.last?.q === q && this.last.found > 0;
    this.clear();
    if (countMiss && !answered && !tooShort(q)) void this.fetchHits(q, true).catch(() => undefined);
  }

  clear(): void {
    window.clearTimeout(this.timer);
    this.asked++;
    this.el.hidden = true;
    fill(this.el);
  }

  private async lookUp(q: string): Promise<void> {
    const ask = ++this.asked;
    let hits: ArticleHit[];
    try {
      hits = await this.fetchHits(q, false);
    } catch {
      return; // suggestions are a help, not a promise: the chat goes on without them
    }
    if (ask !== this.asked) return; // a newer lookup or a send came first
    this.last = { q, found: hits.length };
    this.show(hits);
  }

  private async fetchHits(q: string, final: boolean): Promise<ArticleHit[]> {
    const params = new URLSearchParams({ q, locale: this.locale, inbox: this.inboxKey, limit: '3' });
    if (final) params.set('final', '1');
    const res = await fetch(`${this.origin}/help/api/search?${params}`);
    if (!res.ok) return [];
    return ((await res.json()) as { articles: ArticleHit[] }).articles;
  }

  private show(hits: ArticleHit[]): void {
    const { t } = this;
    const items = hits
      .map((a) => ({ a, href: safeUrl(a.url, this.origin) }))
      .filter((x) => x.href)
      .map(({ a, href }) =>
        h(
          'li',
          {},
          h('a', {
            href: href!,
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'suggestion',
            title: `${a.title} ${t('opensInNewTab')}`,
            text: a.title,
          }),
        ),
      );
    if (items.length === 0) return this.clear();
    fill(this.el, h('p', { text: t('suggestTitle') }), h('ul', {}, ...items));
    this.el.hidden = false;
  }
}
