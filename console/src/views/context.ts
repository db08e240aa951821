/** What every console view is given: the live state, the REST API, words and navigation. */
import type { ConversationView } from '../../../shared/protocol';
import { h } from '../../../ui/dom';
import type { Api } from '../api';
import type { Translate } from '../i18n';
import type { Live } from '../live';

export interface ViewContext {
  live: Live;
  api: Api;
  /** The signed-in agent's bearer token, for a view's own REST calls. */
  token: string;
  t: Translate;
  locale: string;
  open(conversationId: string): void;
}

export function channelBadge(channel: string): HTMLElement {
  return h('span', { class: `channel ch-${channel}`, 'data-testid': 'channel', text: channel });
}

/** The customer's satisfaction answer, "★ 4", with their comment as the tooltip. */
export function csatBadge(c: ConversationView, t: Translate): HTMLElement | null {
  if (!c.csat) return null;
  const { rating, comment } = c.csat;
  return h('span', {
    class: `csat csat-${rating}`,
    'data-testid': 'csat',
    'data-rating': rating,
    title: comment || t('csatNoComment'),
    'aria-label': `${t('csatRating', { n: rating })}. ${comment || t('csatNoComment')}`,
    text: `★ ${rating}`,
  });
}

export function contactLabel(c: ConversationView): string {
  return `#${c.number} ${c.contactName ?? ''}`.trim();
}

export function time(iso: string, locale: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}
