/**
 * The satisfaction rating card shown in the chat after a resolution: five star buttons,
 * an optional comment and a send button; once answered it thanks the visitor and shows
 * the answer, which they may change until the survey closes at `expiresAt`.
 */
import type { SurveyView } from '../../shared/protocol';
import { fill, h } from '../../ui/dom';
import type { Translate } from './i18n';

export type SurveyOutcome = { ok: true; survey: SurveyView } | { ok: false; closed: boolean };
export type AnswerFn = (surveyId: string, rating: number, comment?: string) => Promise<SurveyOutcome>;

const RATINGS = [1, 2, 3, 4, 5];
/** setTimeout takes at most a 32-bit delay; a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SurveyCard {
  readonly el = h('div', { class: 'survey', role: 'group', 'data-testid': 'survey', hidden: true });
  private survey: SurveyView | null = null;
  private editing = false;
  private sending = false;
  private closedByServer = false;
  private picked: number | null = null;
  private drawn = '';
  private expiryTimer: number | undefined;
  private readonly title: HTMLElement;
  private readonly stars: HTMLButtonElement[];
  private readonly comment: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly note = h('p', { class: 'survey-note', role: 'status', 'data-testid': 'survey-note' });

  constructor(
    private readonly t: Translate,
    private readonly answer: AnswerFn,
  ) {
    this.title = h('p', { class: 'survey-title', id: 'sb-survey-title', text: t('surveyTitle') });
    this.el.setAttribute('aria-labelledby', 'sb-survey-title');
    this.stars = RATINGS.map((n) =>
      h('button', {
        type: 'button',
        class: 'star',
        'aria-label': t('surveyRate', { n }),
        'aria-pressed': 'false',
        'data-testid': 'survey-star',
        'data-rating': n,
        text: '★',
        onclick: () => this.pick(n),
      }),
    );
    this.comment = h('textarea', {
      rows: 2,
      maxlength: 2000,
      placeholder: t('surveyComment'),
      'aria-label': t('surveyComment'),
      'data-testid': 'survey-comment',
    });
    this.send = h('button', {
      type: 'button',
      class: 'send',
      'data-testid': 'survey-send',
      text: t('surveySend'),
      onclick: () => void this.submit(),
    });
  }

  /** Shows a survey (or hides the card for null); returns true when the card just appeared. */
  update(s: SurveyView | null): boolean {
    const appeared = s !== null && this.el.hidden !== false;
    if (s?.surveyId !== this.survey?.surveyId || (s && !this.editing && s.rating !== this.survey?.rating)) {
      this.editing = false;
      this.closedByServer = false;
      this.picked = s?.rating ?? null;
      this.comment.value = s?.comment ?? '';
    }
    this.survey = s;
    this.el.hidden = s === null;
    this.armExpiry();
    this.draw();
    return appeared;
  }

  private get closed(): boolean {
    const s = this.survey;
    return this.closedByServer || (s !== null && Date.parse(s.expiresAt) <= Date.now());
  }

  private pick(n: number): void {
    this.picked = n;
    this.note.textContent = '';
    this.paintStars();
  }

  private paintStars(): void {
    const disabled = this.closed || this.sending;
    for (const [i, b] of this.stars.entries()) {
      const n = i + 1;
      b.setAttribute('aria-pressed', String(n === this.picked));
      b.classList.toggle('on', this.picked !== null && n <= this.picked);
      b.disabled = disabled;
    }
    this.comment.disabled = disabled;
    this.send.disabled = disabled || this.picked === null;
  }

  /** Rebuilds the card only when what it shows changes, so typing in the comment is never disturbed. */
  private draw(): void {
    const s = this.survey;
    if (!s) return;
    const answered = s.rating !== null && !this.editing;
    const key = `${s.surveyId}|${answered}|${s.rating}|${s.comment}|${this.closed}`;
    this.paintStars();
    if (key === this.drawn) return;
    this.drawn = key;
    this.el.dataset.state = answered ? 'answered' : this.closed ? 'closed' : 'open';
    if (answered) {
      const rating = s.rating ?? 0;
      fill(
        this.el,
        h('p', { class: 'survey-title', id: 'sb-survey-title', text: this.t('surveyThanks') }),
        h('p', {
          class: 'survey-stars',
          'data-testid': 'survey-answer',
          'data-rating': rating,
          'aria-label': this.t('surveyRated', { n: rating }),
          text: '★'.repeat(rating) + '☆'.repeat(5 - rating),
        }),
        s.comment
          ? h('p', { class: 'survey-comment', 'data-testid': 'survey-answer-comment', text: s.comment })
          : null,
        this.closed
          ? null
          : h('button', {
              type: 'button',
              class: 'link',
              'data-testid': 'survey-change',
              text: this.t('surveyChange'),
              onclick: () => this.change(),
            }),
      );
      return;
    }
    this.note.textContent = this.closed ? this.t('surveyClosed') : '';
    fill(
      this.el,
      this.title,
      h('div', { class: 'stars' }, ...this.stars),
      this.comment,
      this.send,
      this.note,
    );
  }

  private change(): void {
    this.editing = true;
    this.picked = this.survey?.rating ?? null;
    this.comment.value = this.survey?.comment ?? '';
    this.draw();
    this.stars[(this.picked ?? 1) - 1]?.focus();
  }

  private async submit(): Promise<void> {
    const s = this.survey;
    const rating = this.picked;
    if (!s || rating === null || this.sending || this.closed) return;
    const text = this.comment.value.trim();
    // An empty box sends no comment, unless it clears one given before.
    const comment = text || s.comment ? text : undefined;
    this.sending = true;
    this.paintStars();
    const outcome = await this.answer(s.surveyId, rating, comment);
    this.sending = false;
    if (outcome.ok) {
      this.editing = false;
      this.update(outcome.survey);
      this.el.querySelector<HTMLElement>('[data-testid="survey-change"]')?.focus();
      return;
    }
    if (outcome.closed) this.closedByServer = true;
    this.draw();
    this.note.textContent = outcome.closed ? this.t('surveyClosed') : this.t('error');
  }

  /** Redraws at `expiresAt` so the card stops taking answers without a reload. */
  private armExpiry(): void {
    window.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const s = this.survey;
    if (!s) return;
    const left = Date.parse(s.expiresAt) - Date.now();
    if (left <= 0) return;
    this.expiryTimer = window.setTimeout(
      () => {
        this.armExpiry();
        this.draw();
      },
      Math.min(left + 50, MAX_TIMER_MS),
    );
  }
}
