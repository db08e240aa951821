/**
 * One inspection: the conversation's transcript beside the rubric form. Each criterion is
 * scored (points or pass/fail, timeliness pre-filled from the clocks) with its comment;
 * a re-score asks why the score changes.
 */
import type { InspectionView, CriterionView } from '../../../../shared/quality';
import { h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import { time, type ViewContext } from '../context';
import type { QualityApi } from './api';
import { labelOf, scoreBadge } from './words';

export function transcript(x: InspectionView, v: ViewContext): HTMLElement {
  return h(
    'section',
    { class: 'quality-transcript' },
    h('h3', { text: `${v.t('qualityTranscript')} · ${x.sample.label ?? ''}` }),
    h(
      'ol',
      { class: 'history', 'data-testid': 'quality-transcript' },
      ...x.messages.map((m) =>
        h(
          'li',
          {
            class: `msg ${m.direction}${m.private ? ' private' : ''}`,
            'data-testid': 'quality-message',
            'data-direction': m.direction,
          },
          h('span', {
            class: 'who',
            text:
              m.sender.name ??
              (m.direction === 'in'
                ? v.t('customer')
                : m.sender.type === 'agent'
                  ? v.t('qualityAgent')
                  : v.t('system')),
          }),
          ' ',
          h('time', { text: time(m.createdAt, v.locale) }),
          h('p', { class: 'text', text: m.text }),
        ),
      ),
    ),
  );
}

function criterionRow(c: CriterionView, x: InspectionView, v: ViewContext) {
  const { t } = v;
  const previous = x.sample.score?.criteria.find((s) => s.key === c.key);
  const start = previous?.score ?? x.suggested[c.key];
  let input: HTMLInputElement | HTMLSelectElement;
  if (c.kind === 'pass_fail') {
    const sel = h('select', { 'data-testid': `score-${c.key}`, 'aria-label': labelOf(c, v.locale) });
    sel.append(
      h('option', { value: '', text: '—' }),
      h('option', { value: '1', text: t('qualityPass') }),
      h('option', { value: '0', text: t('qualityFail') }),
    );
    sel.value = start === undefined ? '' : String(start);
    input = sel;
  } else {
    input = h('input', {
      type: 'number',
      min: 0,
      max: c.max,
      step: 1,
      'data-testid': `score-${c.key}`,
      'aria-label': labelOf(c, v.locale),
      value: start === undefined ? '' : String(start),
    });
  }
  const comment = h('textarea', {
    rows: 1,
    'data-testid': `comment-${c.key}`,
    'aria-label': t('qualityCriterionComment'),
    placeholder: t('qualityCriterionComment'),
  });
  comment.value = previous?.comment ?? '';
  const hint = x.suggested[c.key] !== undefined ? t('qualitySuggested', { n: x.suggested[c.key]! }) : null;
  const row = h(
    'fieldset',
    { class: 'criterion', 'data-testid': `criterion-${c.key}` },
    h('legend', { text: labelOf(c, v.locale) }),
    h(
      'span',
      { class: 'meta' },
      t('qualityWeight', { w: c.weight }),
      c.kind === 'scale' ? ` · ${t('qualityRange', { max: c.max })}` : '',
      hint ? ` · ${hint}` : '',
    ),
    input,
    comment,
  );
  const read = () => ({
    key: c.key,
    score: input.value === '' ? NaN : Number(input.value),
    comment: comment.value,
  });
  return { row, read };
}

/** The rubric form; `done` runs after a score is saved. */
export function scoreForm(x: InspectionView, v: ViewContext, q: QualityApi, done: () => void): HTMLElement {
  const { t, live } = v;
  const rubric = x.rubric;
  if (!rubric)
    return h('p', { class: 'placeholder', 'data-testid': 'quality-no-rubric', text: t('qualityNoRubric') });
  const rows = rubric.criteria.map((c) => criterionRow(c, x, v));
  const overall = h('textarea', {
    rows: 2,
    'data-testid': 'quality-comment',
    'aria-label': t('qualityOverallComment'),
    placeholder: t('qualityOverallComment'),
  });
  overall.value = x.sample.score?.comment ?? '';
  const reason =
    x.sample.revision > 0
      ? h('input', {
          'data-testid': 'quality-reason',
          'aria-label': t('qualityReason'),
          placeholder: t('qualityReason'),
        })
      : null;
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'quality-status' });
  return h(
    'form',
    {
      class: 'quality-form',
      'data-testid': 'quality-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        live.attempt(async () => {
          const criteria = rows.map((r) => r.read()).filter((c) => !Number.isNaN(c.score));
          const { score } = await q.score(x.sample.id, {
            criteria,
            comment: overall.value,
            reason: reason?.value,
            revision: x.sample.revision,
            rubricVersion: rubric.version,
          });
          status.replaceChildren(t('qualityScoreSaved'), ' ', scoreBadge(score, t));
          done();
        });
      },
    },
    h('h3', { text: t('qualityRubricVersion', { name: rubric.name, v: rubric.version }) }),
    x.sample.score
      ? h('p', {}, scoreBadge(x.sample.score, t), ` · ${t('qualityRevision', { n: x.sample.revision })}`)
      : null,
    h(
      'p',
      { class: 'reasons' },
      ...x.sample.reasons.map((r) => h('span', { class: 'tag', text: t(`qualityReason_${r}` as Key) })),
    ),
    ...rows.map((r) => r.row),
    overall,
    reason,
    h('button', {
      type: 'submit',
      class: 'primary',
      'data-testid': 'quality-save',
      text: t('qualitySaveScore'),
    }),
    status,
  );
}
