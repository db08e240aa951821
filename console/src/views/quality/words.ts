/** Small shared pieces of the Quality tab: a criterion's label in the console's language, the score badge. */
import type { CriterionView, ScoreView } from '../../../../shared/quality';
import { h } from '../../../../ui/dom';
import type { Translate } from '../../i18n';

export const labelOf = (c: Pick<CriterionView, 'label'>, locale: string) =>
  locale === 'zh-CN' ? c.label.zh : c.label.en;

export function scoreBadge(s: Pick<ScoreView, 'scorePct' | 'errors'>, t: Translate): HTMLElement {
  return h(
    'span',
    { class: `quality-badge${s.errors > 0 ? ' has-errors' : ''}`, 'data-testid': 'quality-badge' },
    h('strong', { text: t('qualityScore', { pct: s.scorePct }) }),
    ' · ',
    s.errors > 0 ? t('qualityErrors', { n: s.errors }) : t('qualityNoErrors'),
  );
}
