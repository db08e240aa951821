/** The left column: incoming offers, the waiting queue and the agent's own conversations. */
import type { ClockView, ConversationView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
import { countdown, elapsed } from '../countdown';
import { channelBadge, contactLabel, type ViewContext } from './context';

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

function empty(v: ViewContext): HTMLElement {
  return h('li', { class: 'empty', text: v.t('none') });
}

export function renderOffers(el: HTMLElement, v: ViewContext): void {
  const { live, t } = v;
  const offers = [...live.offers.values()];
  fill(
    el,
    h('h2', { text: `${t('offers')} (${offers.length})` }),
    h(
      'ul',
      { 'data-testid': 'offers' },
      ...(offers.length
        ? offers.map((o) =>
            h(
              'li',
              { class: 'offer', 'data-testid': 'offer', 'data-conversation-id': o.conversation.id },
              h('span', { class: 'who', text: contactLabel(o.conversation) }),
              channelBadge(o.conversation.channel),
              countdown(
                offerClock(o.expiresAt, live.offeredAt.get(o.conversation.id)),
                'offer-expiry',
                t('accept'),
              ),
              h('button', {
                class: 'primary',
                'data-testid': 'offer-accept',
                text: t('accept'),
                onclick: () => live.attempt(() => live.accept(o.conversation.id)),
              }),
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
            ),
          )
        : [empty(v)]),
    ),
  );
}

function row(v: ViewContext, c: ConversationView, kind: 'queue' | 'mine'): HTMLElement {
  const { t, live } = v;
  const selected = live.open?.conversation.id === c.id;
  return h(
    'li',
    {
      class: `conv${selected ? ' selected' : ''}`,
      'data-testid': kind === 'queue' ? 'queue-item' : 'mine-item',
      'data-conversation-id': c.id,
    },
    h('button', {
      class: 'link',
      'aria-current': selected ? 'true' : null,
      text: contactLabel(c),
      onclick: () => v.open(c.id),
    }),
    channelBadge(c.channel),
    c.subject
      ? h('span', { class: 'subject', 'data-testid': 'conversation-subject', text: c.subject })
      : null,
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
  );
}

export function renderQueue(el: HTMLElement, v: ViewContext): void {
  const q = v.live.queue;
  fill(
    el,
    h('h2', { text: `${v.t('queue')} (${q.length})` }),
    h('ul', { 'data-testid': 'queue' }, ...(q.length ? q.map((c) => row(v, c, 'queue')) : [empty(v)])),
  );
}

export function renderMine(el: HTMLElement, v: ViewContext): void {
  const mine = [...v.live.mine.values()].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
  fill(
    el,
    h('h2', { text: `${v.t('mine')} (${mine.length})` }),
    h('ul', { 'data-testid': 'mine' }, ...(mine.length ? mine.map((c) => row(v, c, 'mine')) : [empty(v)])),
  );
}
