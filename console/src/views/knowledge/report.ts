/** The Knowledge tab's report: the most and least helpful articles and the searches that found nothing. */
import { h } from '../../../../ui/dom';
import type { Key, Translate } from '../../i18n';
import type { KnowledgeReport, RatedArticle } from './client';

export function reportPanel(t: Translate, r: KnowledgeReport): HTMLElement {
  const list = (title: Key, testid: string, items: HTMLElement[]) =>
    h(
      'div',
      { class: 'kb-report-list', 'data-testid': testid },
      h('h4', { text: t(title) }),
      items.length ? h('ol', {}, ...items) : h('p', { class: 'admin-hint', text: t('kbNoData') }),
    );
  const rated = (a: RatedArticle) =>
    h(
      'li',
      { 'data-slug': a.slug, 'data-locale': a.locale },
      h('a', { href: a.url, target: '_blank', rel: 'noopener', text: a.title }),
      ' ',
      h('span', {
        class: 'admin-hint',
        text: t('kbVotes', { share: Math.round(a.share * 100), votes: a.helpful + a.notHelpful }),
      }),
    );
  return h(
    'section',
    { class: 'kb-report', 'data-testid': 'kb-report' },
    h('h3', { text: t('kbReport') }),
    list('kbMostHelpful', 'kb-most-helpful', r.mostHelpful.map(rated)),
    list('kbLeastHelpful', 'kb-least-helpful', r.leastHelpful.map(rated)),
    list(
      'kbMissed',
      'kb-missed',
      r.searchesWithoutResults.map((s) =>
        h(
          'li',
          { 'data-locale': s.locale },
          h('q', { text: s.query }),
          ' ',
          h('span', { class: 'tag', text: s.locale }),
          ' ',
          h('span', { class: 'admin-hint', text: t('kbMissedCount', { n: s.count }) }),
        ),
      ),
    ),
  );
}
