/**
 * The reports tab (supervisors and admins): filters, the figures of the range, the trend of
 * one figure as a chart, the figures per group, and the conversations behind any figure,
 * with a CSV download of those records.
 */
import { fill, h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import type { DrillTarget, Overview, ReportFilter } from '../../reports-api';
import type { ViewContext } from '../context';
import { channelBadge, time } from '../context';
import { lineChart } from './chart';
import { FIGURE_SPECS, formatValue, type FigureSpec } from './figures';

const PERIOD_WORD: Record<ReportFilter['period'], Key> = {
  day: 'periodDay',
  week: 'periodWeek',
  month: 'periodMonth',
};
const GROUP_WORD: Record<ReportFilter['groupBy'], Key> = {
  none: 'groupNone',
  agent: 'groupAgent',
  team: 'groupTeam',
  inbox: 'groupInbox',
  channel: 'groupChannel',
  category: 'groupCategory',
};
const TABLE_FIGURES = [
  'pickup',
  'reply',
  'complaints',
  'csat',
  'responseRate',
  'fcr',
  'resolved',
  'handleTime',
  'followUps',
];

const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export class ReportsPane {
  readonly el = h('section', { class: 'reports', 'data-testid': 'reports' });
  private readonly form: HTMLFormElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly period: HTMLSelectElement;
  private readonly groupBy: HTMLSelectElement;
  private readonly chartFigure: HTMLSelectElement;
  private readonly status = h('p', { class: 'status', role: 'status', 'data-testid': 'report-status' });
  private readonly cards = h('div', { class: 'card stats', 'data-testid': 'report-figures' });
  private readonly chart = h('div', { class: 'card', 'data-testid': 'report-chart' });
  private readonly table = h('div', { class: 'card', 'data-testid': 'report-groups' });
  private readonly drill = h('div', { class: 'card', 'data-testid': 'report-drill', hidden: true });
  private overview: Overview | null = null;
  private filter: ReportFilter | null = null;

  constructor(private readonly v: ViewContext) {
    const { t } = v;
    const today = new Date();
    const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
    this.from = h('input', {
      type: 'date',
      value: isoDay(weekAgo),
      'data-testid': 'report-from',
      required: true,
    });
    this.to = h('input', { type: 'date', value: isoDay(today), 'data-testid': 'report-to', required: true });
    const options = <T extends string>(words: Record<T, Key>) =>
      (Object.keys(words) as T[]).map((k) => h('option', { value: k, text: t(words[k]) }));
    this.period = h('select', { 'data-testid': 'report-period' }, ...options(PERIOD_WORD));
    this.groupBy = h('select', { 'data-testid': 'report-group-by' }, ...options(GROUP_WORD));
    this.chartFigure = h(
      'select',
      { 'data-testid': 'report-chart-figure' },
      ...FIGURE_SPECS.map((f) => h('option', { value: f.id, text: t(f.label) })),
    );
    this.chartFigure.onchange = () => this.renderChart();
    const field = (label: Key, input: HTMLElement) => h('label', {}, h('span', { text: t(label) }), input);
    this.form = h(
      'form',
      { class: 'card filters', 'aria-label': t('reportFilters'), 'data-testid': 'report-filters' },
      field('fromDate', this.from),
      field('toDate', this.to),
      field('period', this.period),
      field('groupBy', this.groupBy),
      field('chartOf', this.chartFigure),
      h('button', { type: 'submit', text: t('showReport'), 'data-testid': 'report-apply' }),
      h('button', {
        type: 'button',
        text: t('downloadCsv'),
        'data-testid': 'report-csv',
        onclick: () => this.download(this.spec().drill),
      }),
    );
    this.form.onsubmit = (e) => {
      e.preventDefault();
      this.load();
    };
    this.el.append(this.form, this.status, this.cards, this.chart, this.table, this.drill);
  }

  show(): void {
    if (!this.overview) this.load();
  }

  private spec(): FigureSpec {
    return FIGURE_SPECS.find((f) => f.id === this.chartFigure.value) ?? FIGURE_SPECS[0]!;
  }

  private load(): void {
    const filter: ReportFilter = {
      from: this.from.value,
      to: this.to.value,
      period: this.period.value as ReportFilter['period'],
      groupBy: this.groupBy.value as ReportFilter['groupBy'],
    };
    this.status.textContent = this.v.t('loading');
    this.v.api.reports
      .overview(filter, this.v.locale)
      .then((o) => {
        this.filter = filter;
        this.overview = o;
        this.status.textContent = '';
        this.render();
      })
      .catch((err: unknown) => {
        this.status.textContent = err instanceof Error ? err.message : String(err);
      });
  }

  private render(): void {
    const o = this.overview;
    if (!o) return;
    const { t } = this.v;
    const empty =
      o.total.resolutions.resolved === 0 &&
      o.total.csat.asked === 0 &&
      Object.values(o.total.clocks).every((c) => c.total === 0) &&
      o.total.followUps.done === 0;
    fill(
      this.cards,
      ...(empty ? [h('p', { class: 'empty', 'data-testid': 'report-empty', text: t('noData') })] : []),
      ...FIGURE_SPECS.map((f) => this.figureButton(f, o.total, undefined, 'stat')),
    );
    this.renderChart();
    this.renderTable();
  }

  private figureButton(
    f: FigureSpec,
    figures: Overview['total'],
    group: string | null | undefined,
    cls: string,
  ) {
    const { t } = this.v;
    const parts = f.parts?.(figures);
    const value = formatValue(f.unit, f.value(figures));
    return h(
      'button',
      {
        type: 'button',
        class: `${cls} link`,
        'data-testid': cls === 'stat' ? 'report-figure' : 'report-cell',
        'data-figure': f.id,
        'data-group': group === undefined ? '' : (group ?? 'null'),
        'aria-label': `${t(f.label)}: ${value}`,
        onclick: () => this.openDrill(f, group),
      },
      ...(cls === 'stat' ? [h('span', { class: 'label', text: t(f.label) })] : []),
      h('strong', { 'data-testid': 'report-value', text: value }),
      ...(parts
        ? [h('span', { class: 'sub', text: t('ofTotal', { part: parts[0], whole: parts[1] }) })]
        : []),
    );
  }

  private renderChart(): void {
    const o = this.overview;
    const f = this.filter;
    if (!o || !f) return;
    const { t } = this.v;
    const spec = this.spec();
    const figure = t(spec.label);
    const period = t(PERIOD_WORD[f.period]);
    fill(
      this.chart,
      lineChart({
        title: t('trendTitle', { figure, period }),
        desc: t('trendDesc', { figure, period, from: f.from, to: f.to }),
        xLabel: t('axisPeriod'),
        yLabel: figure,
        points: o.series.map((s) => ({ label: s.period, value: spec.value(s.figures) })),
        format: (v) => formatValue(spec.unit, v),
        max: spec.unit === 'pct' ? 100 : undefined,
        testId: 'report-trend',
      }),
    );
  }

  private renderTable(): void {
    const o = this.overview;
    const f = this.filter;
    if (!o || !f || f.groupBy === 'none') {
      fill(this.table);
      this.table.hidden = true;
      return;
    }
    this.table.hidden = false;
    const { t } = this.v;
    const specs = FIGURE_SPECS.filter((s) => TABLE_FIGURES.includes(s.id));
    fill(
      this.table,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: t(GROUP_WORD[f.groupBy]) }),
            ...specs.map((s) => h('th', { text: t(s.label) })),
          ),
        ),
        h(
          'tbody',
          {},
          ...o.groups.map((g) =>
            h(
              'tr',
              { 'data-testid': 'report-group', 'data-group': g.group ?? 'null' },
              h('th', { scope: 'row', text: g.label ?? t('noGroup') }),
              ...specs.map((s) => h('td', {}, this.figureButton(s, g.figures, g.group, 'cell'))),
            ),
          ),
        ),
      ),
    );
  }

  private target(f: FigureSpec, group: string | null | undefined): DrillTarget {
    return { ...f.drill, ...(group === undefined ? {} : { group }) };
  }

  private openDrill(f: FigureSpec, group: string | null | undefined, page = 1): void {
    const filter = this.filter;
    if (!filter) return;
    const { t, locale } = this.v;
    const target = this.target(f, group);
    this.drill.hidden = false;
    this.v.api.reports
      .records(filter, target, page)
      .then((p) => {
        const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
        fill(
          this.drill,
          h('h2', { text: t('behindFigure', { figure: t(f.label) }) }),
          h('p', { 'data-testid': 'drill-total', text: t('recordsCount', { n: p.total }) }),
          p.items.length === 0
            ? h('p', { class: 'empty', text: t('noRecords') })
            : h(
                'ul',
                { 'data-testid': 'drill-list' },
                ...p.items.map((i) =>
                  h(
                    'li',
                    { 'data-testid': 'drill-item', 'data-conversation-id': i.conversationId ?? '' },
                    i.conversationId
                      ? h('button', {
                          class: 'link',
                          'data-testid': 'drill-open',
                          text: `#${i.number ?? ''} ${i.name ?? ''}`.trim(),
                          onclick: () => this.v.open(i.conversationId!),
                        })
                      : h('span', { text: i.name ?? '' }),
                    ' ',
                    ...(i.channel ? [channelBadge(i.channel), ' '] : []),
                    h('span', { class: `tag outcome-${i.outcome}`, text: t(`outcome_${i.outcome}` as Key) }),
                    ' ',
                    h('time', { datetime: i.at, text: time(i.at, locale) }),
                  ),
                ),
              ),
          h(
            'nav',
            { class: 'pager' },
            h('button', {
              type: 'button',
              text: t('previous'),
              disabled: page <= 1,
              onclick: () => this.openDrill(f, group, page - 1),
            }),
            h('span', { text: `${page} / ${pages}` }),
            h('button', {
              type: 'button',
              text: t('next'),
              disabled: page >= pages,
              onclick: () => this.openDrill(f, group, page + 1),
            }),
            h('button', {
              type: 'button',
              text: t('downloadCsv'),
              'data-testid': 'drill-csv',
              onclick: () => this.download(target),
            }),
          ),
        );
        this.drill.scrollIntoView?.({ block: 'nearest' });
      })
      .catch((err: unknown) => fill(this.drill, h('p', { class: 'error', text: String(err) })));
  }

  private download(target: DrillTarget): void {
    const filter = this.filter;
    if (!filter) return;
    this.v.api.reports.download(filter, target).catch((err: unknown) => {
      this.status.textContent = err instanceof Error ? err.message : String(err);
    });
  }
}
