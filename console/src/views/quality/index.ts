/**
 * The Quality tab. Supervisors see the inspection queue (drawn conversations, with why
 * each was drawn), open one to score its transcript against the rubric, and draw a
 * sample now; admins also edit the rubric; agents see their own scores and comments.
 */
import type { RubricView, SampleView, ScoreView } from '../../../../shared/quality';
import { fill, h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import { time, type ViewContext } from '../context';
import { qualityApi } from './api';
import { scoreForm, transcript } from './inspect';
import { rubricEditor } from './rubric';
import { labelOf, scoreBadge } from './words';

export class QualityPane {
  readonly el = h('section', { class: 'quality', 'data-testid': 'quality' });
  private readonly q;

  constructor(private readonly v: ViewContext) {
    this.q = qualityApi(v.token);
  }

  show(): void {
    if (this.v.live.me.role === 'agent') this.mine();
    else this.queue('pending');
  }

  private queue(status: 'pending' | 'scored', message = ''): void {
    const { t, live } = this.v;
    live.attempt(async () => {
      const { samples } = await this.q.queue(status);
      const note = h('p', {
        class: 'status',
        role: 'status',
        'data-testid': 'quality-draw-status',
        text: message,
      });
      const tab = (s: 'pending' | 'scored', key: Key) =>
        h('button', {
          role: 'tab',
          'aria-selected': String(status === s),
          'data-testid': `quality-${s}`,
          text: t(key),
          onclick: () => this.queue(s),
        });
      fill(
        this.el,
        h('h2', { text: t('quality') }),
        h(
          'div',
          { class: 'quality-tools' },
          tab('pending', 'qualityQueue'),
          tab('scored', 'qualityScored'),
          h('button', {
            'data-testid': 'quality-draw',
            text: t('qualityDrawNow'),
            onclick: () =>
              live.attempt(async () => {
                const { drawn } = await this.q.draw();
                this.queue('pending', t('qualityDrawn', { n: drawn }));
              }),
          }),
          live.me.role === 'admin'
            ? h('button', {
                'data-testid': 'quality-edit-rubric',
                text: t('qualityEditRubric'),
                onclick: () => this.editRubric(),
              })
            : null,
        ),
        note,
        samples.length === 0 ? h('p', { class: 'placeholder', text: t('none') }) : null,
        h('ul', { class: 'samples', 'data-testid': 'quality-samples' }, ...samples.map((s) => this.item(s))),
      );
    });
  }

  private item(s: SampleView): HTMLElement {
    const { t, locale } = this.v;
    return h(
      'li',
      {
        class: 'sample',
        'data-testid': 'quality-sample',
        'data-id': s.id,
        'data-conversation-id': s.conversationId,
      },
      h('strong', { text: s.label ?? s.conversationId }),
      ' ',
      ...s.reasons.map((r) => h('span', { class: 'tag', text: t(`qualityReason_${r}` as Key) })),
      ' ',
      h('span', { class: 'when', text: t('qualityResolved', { t: time(s.resolvedAt, locale) }) }),
      ' ',
      s.score ? scoreBadge(s.score, t) : null,
      h('button', {
        'data-testid': 'quality-inspect',
        text: t('qualityInspect'),
        onclick: () => this.inspect(s.id),
      }),
    );
  }

  private inspect(id: string): void {
    const { t, live } = this.v;
    live.attempt(async () => {
      const x = await this.q.inspection(id);
      fill(
        this.el,
        h('button', {
          'data-testid': 'quality-back',
          text: t('qualityBack'),
          onclick: () => this.queue('pending'),
        }),
        h(
          'div',
          { class: 'quality-inspection', 'data-testid': 'quality-inspection' },
          transcript(x, this.v),
          scoreForm(x, this.v, this.q, () => undefined),
        ),
      );
    });
  }

  private editRubric(): void {
    const { t, live } = this.v;
    live.attempt(async () => {
      const { rubric } = await this.q.rubric();
      fill(
        this.el,
        h('button', {
          'data-testid': 'quality-back',
          text: t('qualityBack'),
          onclick: () => this.queue('pending'),
        }),
        rubricEditor(rubric, this.v, this.q, () => undefined),
      );
    });
  }

  private mine(): void {
    const { t, live } = this.v;
    live.attempt(async () => {
      const { scores } = await this.q.myScores();
      const versions = [...new Set(scores.map((s) => s.rubricVersion))];
      const rubrics = new Map<number, RubricView>();
      for (const version of versions) {
        const { rubric } = await this.q.rubric(version);
        if (rubric) rubrics.set(version, rubric);
      }
      fill(
        this.el,
        h('h2', { text: t('qualityMyScores') }),
        scores.length === 0 ? h('p', { class: 'placeholder', text: t('qualityNoScores') }) : null,
        h('ul', { class: 'scores' }, ...scores.map((s) => this.scoreItem(s, rubrics.get(s.rubricVersion)))),
      );
    });
  }

  private scoreItem(s: ScoreView & { label: string | null }, rubric: RubricView | undefined): HTMLElement {
    const { t, locale } = this.v;
    const criterion = (key: string) => rubric?.criteria.find((c) => c.key === key);
    return h(
      'li',
      { class: 'score', 'data-testid': 'quality-score', 'data-conversation-id': s.conversationId },
      h('strong', { text: s.label ?? '' }),
      ' ',
      scoreBadge(s, t),
      ' ',
      h('time', { text: time(s.scoredAt, locale) }),
      h(
        'ul',
        { class: 'criteria' },
        ...s.criteria.map((c) => {
          const def = criterion(c.key);
          const points =
            def?.kind === 'pass_fail'
              ? t(c.score ? 'qualityPass' : 'qualityFail')
              : t('qualityPoints', { n: c.score, max: def?.max ?? '?' });
          return h(
            'li',
            { class: c.error ? 'error' : '', 'data-testid': 'quality-criterion', 'data-key': c.key },
            h('span', { text: def ? labelOf(def, locale) : c.key }),
            `: ${points}`,
            c.error ? h('span', { class: 'tag', text: t('qualityError') }) : null,
            c.comment ? h('p', { class: 'comment', text: c.comment }) : null,
          );
        }),
      ),
      s.comment ? h('p', { class: 'comment', 'data-testid': 'quality-overall', text: s.comment }) : null,
    );
  }
}
