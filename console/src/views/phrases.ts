/**
 * The composer's forbidden-phrase check: before a draft is sent, the phrases on the
 * admins' list it contains are named; the agent edits the reply or sends it anyway.
 * Matched as the classification keywords are: English as whole words, Chinese anywhere.
 */
import { keywordMatches } from '../../../server/classification/matcher';
import { fill, h } from '../../../ui/dom';
import type { ForbiddenPhrase } from '../api';
import type { ViewContext } from './context';

export function forbiddenIn(text: string, list: ForbiddenPhrase[]): ForbiddenPhrase[] {
  return list.filter((p) => keywordMatches(text, p.phrase));
}

export class PhraseGuard {
  readonly el = h('div', {
    class: 'phrase-warning',
    role: 'alert',
    'data-testid': 'phrase-warning',
    hidden: true,
  });
  private list: ForbiddenPhrase[] = [];

  constructor(
    private readonly v: ViewContext,
    private readonly text: HTMLTextAreaElement,
  ) {
    v.api
      .forbiddenPhrases()
      .then((r) => (this.list = r.phrases))
      .catch(() => (this.list = []));
    text.addEventListener('input', () => (this.el.hidden = true));
  }

  /** Whether `draft` may go now; if not, the warning is shown and `sendAnyway` is what its button does. */
  allows(draft: string, sendAnyway: () => void): boolean {
    const found = forbiddenIn(draft, this.list);
    if (found.length === 0) {
      this.el.hidden = true;
      return true;
    }
    const { t } = this.v;
    fill(
      this.el,
      h('p', { text: t('phraseWarning', { phrases: found.map((p) => `“${p.phrase}”`).join(', ') }) }),
      ...found.filter((p) => p.hint).map((p) => h('p', { class: 'hint', text: `${p.phrase}: ${p.hint}` })),
      h('button', {
        type: 'button',
        'data-testid': 'phrase-edit',
        text: t('editReply'),
        onclick: () => {
          this.el.hidden = true;
          this.text.focus();
        },
      }),
      h('button', {
        type: 'button',
        'data-testid': 'phrase-send-anyway',
        text: t('sendAnyway'),
        onclick: () => {
          this.el.hidden = true;
          sendAnyway();
        },
      }),
    );
    this.el.hidden = false;
    return false;
  }
}
