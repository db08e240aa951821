/**
 * The left column: incoming offers, the waiting queue and the agent's own conversations,
 * each row with the customer's avatar and name, the channel, when it last moved and the
 * newest message's first line. A conversation offered to this agent is listed under
 * Incoming only, not again in the queue.
 */
import type { ClockView, ConversationView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
import { countdown, elapsed } from '../countdown';
import type { Key } from '../i18n';
import {
  channelBadge,
  contactAvatar,
  contactLabel,
  previewLine,
  shortTime,
  type ViewContext,
} from './context';

/** The offer's window as a clock: urgent in its last ten seconds. */
function offerClock(expiresAt: string, since: string | undefined): ClockView {
  const due = Date.parse(expiresAt);
  const start = since ? Date.parse(since) : Math.min(Date.now(), due);
  return {
    startedAt: new Date(start).toISOString(),
    warnAt: new Date(Math.max(start, due - 10_000)).toISOString(),
    dueAt: expiresAt,
    targetMs: due - start,
    warnedAt: null,
    breachedAt: null,
    businessHours: false,
    policy: null,
  };
}

function empty(v: ViewContext, key: Key): HTMLElement {
  return h('li', { class: 'empty', 'data-testid': 'empty', text: v.t(key) });
}

function heading(text: string, n: number): HTMLElement {
  return h('h2', {}, text, h('span', { class: 'count', 'data-testid': 'count', text: String(n) }));
}

/** Avatar, name with channel and time, then the subject or newest message's first line. */
function summary(v: ViewContext, c: ConversationView, name: HTMLElement): HTMLElement[] {
  return [
    contactAvatar(c, v.t),
    h(
      'div',
      { class: 'conv-body' },
      h(
        'div',
        { class: 'conv-line' },
        name,
        channelBadge(c.channel),
        h('time', { class: 'when', datetime: c.lastMessageAt, text: shortTime(c.lastMessageAt, v.locale) }),
      ),
      c.subject
        ? h('span', { class: 'subject', 'data-testid': 'conversation-subject', text: c.subject })
        : null,
      previewLine(c, v.t),
    ),
  ];
}

export function renderOffers(el: HTMLElement, v: ViewContext): void {
  const { live, t } = v;
  const offers = [...live.offers.values()];
  fill(
    el,
    heading(t('offers'), offers.length),
    h(
      'ul',
      { 'data-testid': 'offers' },
      ...(offers.length
        ? offers.map((o) =>
            h(
              'li',
              { class: 'offer', 'data-testid': 'offer', 'data-conversation-id': o.conversation.id },
              ...summary(
                v,
                o.conversation,
                h('span', { class: 'who', text: contactLabel(o.conversation, t) }),
              ),
              h(
                'div',
                { class: 'conv-actions' },
                countdown(
                  offerClock(o.expiresAt, live.offeredAt.get(o.conversation.id)),
                  'offer-expiry',
                  t('accept'),
                ),
                h('button', {
                  'data-testid': 'offer-decline',
                  text: t('decline'),
                  onclick: () =>
                    live.attempt(async () => {
                      await live.call('offer:decline', { conversationId: o.conversation.id });
                      live.offers.delete(o.conversation.id);
                      renderOffers(el, v);
                    }),
                }),
                h('button', {
                  class: 'primary',
                  'data-testid': 'offer-accept',
                  text: t('accept'),
                  onclick: () => live.attempt(() => live.accept(o.conversation.id)),
                }),
              ),
            ),
          )
        : [empty(v, 'noOffers')]),
    ),
  );
}

function row(v: ViewContext, c: ConversationView, kind: 'queue' | 'mine'): HTMLElement {
  const { t, live } = v;
  const selected = live.open?.conversation.id === c.id;
  const name = h('button', {
    class: 'link who',
    'aria-current': selected ? 'true' : null,
    text: contactLabel(c, t),
    onclick: () => v.open(c.id),
  });
  const item = h(
    'li',
    {
      class: `conv${selected ? ' selected' : ''}`,
      'data-testid': kind === 'queue' ? 'queue-item' : 'mine-item',
      'data-conversation-id': c.id,
    },
    ...summary(v, c, name),
    h(
      'div',
      { class: 'conv-actions' },
      kind === 'queue'
        ? h(
            'span',
            { class: 'timers' },
            elapsed(c.queuedAt, 'queue-waiting'),
            ' · ',
            h('span', { class: 'sr-label', text: t('pickupIn') }),
            ' ',
            countdown(c.pickupClock, 'pickup-countdown', t('pickupIn')),
          )
        : h(
            'span',
            { class: 'timers' },
            h('span', { text: t('replyIn') }),
            ' ',
            countdown(c.replyClock, 'reply-countdown', t('replyIn')),
          ),
      kind === 'queue'
        ? h('button', {
            'data-testid': 'queue-take',
            text: t('take'),
            onclick: () => live.attempt(() => live.take(c.id)),
          })
        : null,
    ),
  );
  // The whole row opens the conversation; its buttons keep their own actions.
  item.addEventListener('click', (ev) => {
    if (!(ev.target instanceof Element) || !ev.target.closest('button')) v.open(c.id);
  });
  return item;
}

/** The waiting conversations this agent may take; those offered to them are under Incoming. */
export function waiting(v: ViewContext): ConversationView[] {
  return v.live.queue.filter((c) => !v.live.offers.has(c.id));
}

export function renderQueue(el: HTMLElement, v: ViewContext): void {
  const q = waiting(v);
  fill(
    el,
    heading(v.t('queue'), q.length),
    h(
      'ul',
      { 'data-testid': 'queue' },
      ...(q.length ? q.map((c) => row(v, c, 'queue')) : [empty(v, 'noQueue')]),
    ),
  );
}

export function renderMine(el: HTMLElement, v: ViewContext): void {
  const mine = [...v.live.mine.values()].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
  fill(
    el,
    heading(v.t('mine'), mine.length),
    h(
      'ul',
      { 'data-testid': 'mine' },
      ...(mine.length ? mine.map((c) => row(v, c, 'mine')) : [empty(v, 'noMine')]),
    ),
  );
}
