/** The supervisor's view: agents with presence and load, the live queue, current SLA alerts, today's attainment. */
import { avatar } from '../../../ui/avatar';
import { fill, h } from '../../../ui/dom';
import type { Attainment } from '../api';
import { countdown, elapsed } from '../countdown';
import type { ClockKindView } from '../../../shared/protocol';
import { channelBadge, contactLabel, time, type ViewContext } from './context';

const CLOCK_LABEL = {
  pickup: 'pickup',
  reply: 'replyClock',
  resolution: 'resolutionClock',
  escalation: 'escalationClock',
  complaint_acknowledgement: 'complaintAcknowledgementClock',
  complaint_solution: 'complaintSolutionClock',
  complaint_follow_up: 'complaintFollowUpClock',
} as const satisfies Record<ClockKindView, string>;

export class SupervisorPane {
  readonly el = h('section', { class: 'supervisor', 'data-testid': 'supervisor' });
  private readonly agents = h('div', { class: 'card' });
  private readonly queue = h('div', { class: 'card' });
  private readonly alerts = h('div', { class: 'card' });
  private readonly attainment = h('div', { class: 'card', 'data-testid': 'attainment' });
  private timer: number | undefined;

  constructor(private readonly v: ViewContext) {
    this.el.append(this.attainment, this.agents, this.queue, this.alerts);
  }

  show(): void {
    this.v.live.attempt(() => this.v.live.refreshSupervisor());
    this.loadAttainment();
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => this.loadAttainment(), 30_000);
  }

  hide(): void {
    window.clearInterval(this.timer);
  }

  loadAttainment(): void {
    const now = new Date();
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    this.v.api
      .attainment(midnight, now)
      .then((a) => this.renderAttainment(a))
      .catch((err: unknown) => fill(this.attainment, h('p', { class: 'error', text: String(err) })));
  }

  private renderAttainment(a: Attainment): void {
    const { t } = this.v;
    const stat = (label: string, s: Attainment['pickup'], id: string) =>
      h(
        'div',
        { class: 'stat', 'data-testid': id },
        h('span', { class: 'label', text: label }),
        h('strong', { text: s.total ? `${Math.round((s.met / s.total) * 100)}%` : '—' }),
        h('span', { class: 'sub', text: t('met', { met: s.met, total: s.total }) }),
      );
    fill(
      this.attainment,
      h('h2', { text: t('attainment') }),
      stat(t('pickup'), a.pickup, 'attainment-pickup'),
      stat(t('replyClock'), a.reply, 'attainment-reply'),
    );
  }

  render(): void {
    const { t, live, locale } = this.v;
    fill(
      this.agents,
      h('h2', { text: t('agents') }),
      h(
        'table',
        { 'data-testid': 'agents' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: t('agent') }),
            h('th', { text: t('presence') }),
            h('th', { text: t('load') }),
          ),
        ),
        h(
          'tbody',
          {},
          ...live.agents.map((a) =>
            h(
              'tr',
              { 'data-testid': 'agent-row', 'data-agent-id': a.id },
              h(
                'td',
                {},
                h(
                  'span',
                  { class: 'person-cell' },
                  avatar(a.name, { key: a.id, size: 'sm' }),
                  h('span', { text: a.name }),
                ),
              ),
              h(
                'td',
                {},
                h('span', {
                  class: `presence p-${a.presence}`,
                  'data-testid': 'agent-presence',
                  text: t(a.presence),
                }),
              ),
              h(
                'td',
                {},
                h('meter', { min: 0, max: a.capacity, value: a.load, 'aria-label': t('load') }),
                ' ',
                h('span', { 'data-testid': 'agent-load', text: `${a.load}/${a.capacity}` }),
              ),
            ),
          ),
        ),
      ),
    );
    fill(
      this.queue,
      h('h2', { text: `${t('queue')} (${live.queue.length})` }),
      h(
        'ul',
        { 'data-testid': 'supervisor-queue' },
        live.queue.length === 0 ? h('li', { class: 'empty', text: t('noQueue') }) : null,
        ...live.queue.map((c) =>
          h(
            'li',
            { 'data-testid': 'supervisor-queue-item', 'data-conversation-id': c.id },
            h('button', { class: 'link', text: contactLabel(c, t), onclick: () => this.v.open(c.id) }),
            ' ',
            channelBadge(c.channel),
            ' ',
            elapsed(c.queuedAt, 'queue-waiting'),
            ' ',
            countdown(c.pickupClock, 'pickup-countdown', t('pickupIn')),
          ),
        ),
      ),
    );
    const alerts = [...live.alerts].sort((a, b) => b.at.localeCompare(a.at));
    fill(
      this.alerts,
      h('h2', { text: `${t('alerts')} (${alerts.length})` }),
      h(
        'ul',
        { 'data-testid': 'alerts' },
        alerts.length === 0 ? h('li', { class: 'empty', text: t('noAlerts') }) : null,
        ...alerts.map((a) =>
          h(
            'li',
            {
              class: `alert ${a.kind}`,
              'data-testid': 'alert',
              'data-kind': a.kind,
              'data-clock': a.clock,
              'data-conversation-id': a.conversationId,
            },
            h('span', {
              class: 'tag',
              text: `${t(CLOCK_LABEL[a.clock])} ${t(a.kind)}`,
            }),
            ' ',
            h('button', {
              class: 'link',
              text: a.conversationId.slice(-6),
              onclick: () => this.v.open(a.conversationId),
            }),
            ' ',
            h('span', { text: live.agents.find((x) => x.id === a.assigneeId)?.name ?? '' }),
            ' ',
            h('time', { datetime: a.at, text: time(a.at, locale) }),
          ),
        ),
      ),
    );
  }
}
