/**
 * The handover passed on to the agent's teams, shown above the console when they sign in:
 * the note, who wrote it and when, and what of it is still open — the conversations (each
 * opens on click) and the follow-ups due. Dismissed, it stays away until a newer one comes.
 */
import type { HandoverView } from '../../../../shared/protocol';
import { fill, h } from '../../../../ui/dom';
import type { Key } from '../../i18n';
import { channelBadge, contactLabel, previewLine, type ViewContext } from '../context';
import { when } from './words';

const SEEN = 'switchboard:console:handover-seen';

export class HandoverPanel {
  readonly el = h('aside', {
    class: 'handover',
    role: 'region',
    'data-testid': 'handover',
    hidden: true,
  });

  constructor(private readonly v: ViewContext) {}

  private get seenKey(): string {
    return `${SEEN}:${this.v.live.me.id}`;
  }

  /** Shows a handover unless this one was dismissed already. */
  show(x: HandoverView | null): void {
    const id = x ? `${x.shiftId}@${x.endsAt}` : null;
    if (!x || localStorage.getItem(this.seenKey) === id) {
      this.el.hidden = true;
      return;
    }
    const { t, locale } = this.v;
    const open = x.conversations.length + x.followUps.length;
    fill(
      this.el,
      h(
        'div',
        { class: 'handover-head' },
        h('h2', {
          text: x.shiftName ? t('handoverTitle', { shift: x.shiftName }) : t('handoverTitleNoName'),
        }),
        h('span', {
          class: 'handover-when',
          text: t('handoverShift', { from: when(x.startsAt, locale), to: when(x.endsAt, locale) }),
        }),
        h('button', {
          type: 'button',
          'data-testid': 'handover-dismiss',
          text: t('handoverDismiss'),
          onclick: () => {
            localStorage.setItem(this.seenKey, id!);
            this.el.hidden = true;
          },
        }),
      ),
      x.note
        ? h('blockquote', { class: 'handover-note', 'data-testid': 'handover-note', text: x.note })
        : h('p', { class: 'placeholder', 'data-testid': 'handover-note', text: t('handoverNoNote') }),
      x.note && x.noteBy && x.noteAt
        ? h('p', {
            class: 'handover-by',
            'data-testid': 'handover-by',
            text: t('handoverBy', { name: x.noteBy, t: when(x.noteAt, locale) }),
          })
        : null,
      open === 0 ? h('p', { class: 'placeholder', text: t('handoverNothingOpen') }) : null,
      x.conversations.length ? this.conversations(x) : null,
      x.followUps.length ? this.followUps(x) : null,
    );
    this.el.hidden = false;
  }

  private conversations(x: HandoverView): HTMLElement {
    const { t } = this.v;
    return h(
      'section',
      {},
      h('h3', { text: t('handoverOpen', { n: x.conversations.length }) }),
      h(
        'ul',
        {},
        ...x.conversations.map((c) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'handover-conversation',
                'data-testid': 'handover-conversation',
                'data-conversation-id': c.id,
                onclick: () => this.v.open(c.id),
              },
              h('strong', { text: contactLabel(c, t) }),
              ' ',
              channelBadge(c.channel),
              ' ',
              h('span', { class: 'tag', text: t(c.status as Key) }),
              ' ',
              previewLine(c, t),
            ),
          ),
        ),
      ),
    );
  }

  private followUps(x: HandoverView): HTMLElement {
    const { t, locale } = this.v;
    return h(
      'section',
      {},
      h('h3', { text: t('handoverFollowUps', { n: x.followUps.length }) }),
      h(
        'ul',
        {},
        ...x.followUps.map((f) =>
          h(
            'li',
            {
              class: f.overdue ? 'overdue' : '',
              'data-testid': 'handover-followup',
              'data-id': f.id,
            },
            h('strong', { text: f.contactName ?? t('customer') }),
            ' ',
            h('span', { class: 'tag', text: t(`followUpReason_${f.reason}` as Key) }),
            ' ',
            h('span', {
              class: 'handover-due',
              text: t(f.overdue ? 'handoverOverdue' : 'handoverDue', { t: when(f.dueAt, locale) }),
            }),
            f.note ? h('span', { class: 'note', text: ` — ${f.note}` }) : null,
            f.conversationId
              ? h('button', {
                  type: 'button',
                  class: 'quiet',
                  'data-testid': 'handover-followup-open',
                  text: t('handoverOpenConversation'),
                  onclick: () => this.v.open(f.conversationId!),
                })
              : null,
          ),
        ),
      ),
    );
  }
}
