/**
 * A complaint's panel in the open conversation: its three deadlines with live
 * countdowns, the solution proposed (or a box to record it), and the "Mark as
 * acceptance" action offered on customer messages written after the solution.
 */
import type { ClockKindView, ComplaintView, ConversationView, MessageView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
import { countdown } from '../countdown';
import type { Key } from '../i18n';
import type { ViewContext } from './context';

const DEADLINES: [ClockKindView, Key][] = [
  ['complaint_acknowledgement', 'complaintAcknowledgementClock'],
  ['complaint_solution', 'complaintSolutionClock'],
  ['complaint_follow_up', 'complaintFollowUpClock'],
];

export class ComplaintPanel {
  readonly el = h('div', { class: 'complaint card', 'data-testid': 'complaint' });
  private complaint: ComplaintView | null = null;
  private loadedFor: string | null = null;
  private draft = h('textarea', { rows: 2, 'data-testid': 'solution-text' });

  constructor(
    private readonly v: ViewContext,
    private readonly changed: () => void,
  ) {
    this.draft.setAttribute('placeholder', v.t('solutionPlaceholder'));
    this.draft.setAttribute('aria-label', v.t('recordSolution'));
    v.live.on('complaint:updated', (c) => {
      if (c.conversationId !== this.loadedFor) return;
      this.complaint = c;
      this.changed();
    });
  }

  render(c: ConversationView): void {
    if (this.loadedFor !== c.id) {
      this.loadedFor = c.id;
      this.complaint = null;
      this.draft.value = '';
      this.v.api
        .complaint(c.id)
        .then((r) => {
          if (this.loadedFor !== c.id) return;
          this.complaint = r.complaint;
          this.changed();
        })
        .catch(() => undefined);
    }
    const k = this.complaint;
    this.el.hidden = c.category !== 'complaint' || !k || k.status === 'withdrawn';
    if (this.el.hidden || !k) return;
    const { t } = this.v;
    const deadline = ([kind, label]: [ClockKindView, Key]) =>
      h(
        'li',
        { 'data-testid': `deadline-${kind}` },
        h('span', { text: t(label) }),
        ' ',
        c.clocks[kind]
          ? countdown(c.clocks[kind] ?? null, `countdown-${kind}`, t(label))
          : h('span', { class: 'tag', text: this.done(kind, k) ? t('stopped') : '—' }),
      );
    fill(
      this.el,
      h('h3', { text: k.status === 'closed' ? t('complaintClosed') : t('complaintDeadlines') }),
      h('ul', { class: 'deadlines' }, ...DEADLINES.map(deadline)),
      k.solution
        ? h('p', {
            class: 'solution',
            'data-testid': 'solution',
            text: t('solutionRecorded', { text: k.solution.text }),
          })
        : null,
      k.status === 'open' || k.status === 'solution_proposed' ? this.form(c.id) : null,
    );
  }

  private done(kind: ClockKindView, k: ComplaintView): boolean {
    if (kind === 'complaint_follow_up') return k.closedBy === 'follow_up';
    return kind === 'complaint_solution' ? k.solution !== null : k.status !== 'open' || k.solution !== null;
  }

  private form(conversationId: string): HTMLElement {
    const { t, live, api } = this.v;
    return h(
      'form',
      {
        class: 'record-solution',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const text = this.draft.value.trim();
          if (!text) return;
          live.attempt(async () => {
            this.complaint = (await api.recordSolution(conversationId, text)).complaint;
            this.draft.value = '';
            this.changed();
          });
        },
      },
      this.draft,
      h('button', { type: 'submit', 'data-testid': 'record-solution', text: t('recordSolution') }),
    );
  }

  /** "Mark as acceptance" on a customer message written after the proposed solution. */
  acceptAction(m: MessageView): HTMLElement | null {
    const k = this.complaint;
    if (!k || k.status !== 'solution_proposed' || !k.solution || m.direction !== 'in') return null;
    if (Date.parse(m.createdAt) < Date.parse(k.solution.at)) return null;
    const { t, live, api } = this.v;
    return h('button', {
      class: 'link',
      'data-testid': 'mark-acceptance',
      text: t('markAcceptance'),
      onclick: () =>
        live.attempt(async () => {
          this.complaint = (await api.acceptSolution(m.conversationId, m.id)).complaint;
          this.changed();
        }),
    });
  }

  acceptedMark(m: MessageView): HTMLElement | null {
    if (this.complaint?.accepted?.messageId !== m.id) return null;
    return h('span', { class: 'tag', 'data-testid': 'accepted-mark', text: this.v.t('acceptedMark') });
  }
}
