/** What every console view is given: the live state, the REST API, words and navigation. */
import type { ConversationView } from '../../../shared/protocol';
import { avatar } from '../../../ui/avatar';
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

/**
 * The customer as people read them: their name, or "Visitor 12" / "访客 12" (the
 * conversation's number) while they have not given one. Without words, "#12".
 */
export function contactLabel(c: Pick<ConversationView, 'number' | 'contactName'>, t?: Translate): string {
  const name = c.contactName?.trim();
  if (name) return name;
  return t ? t('visitor', { n: c.number }) : `#${c.number}`;
}

/** The customer's avatar: initials of their name, or of the visitor label. */
export function contactAvatar(
  c: Pick<ConversationView, 'number' | 'contactName' | 'contactId'>,
  t: Translate,
  size: 'sm' | 'md' | 'lg' = 'md',
): HTMLElement {
  const el = avatar(c.contactName?.trim() || t('visitor', { n: c.number }), {
    key: c.contactId,
    size,
    testid: 'contact-avatar',
  });
  if (!c.contactName?.trim()) el.textContent = String(c.number).slice(-2);
  return el;
}

/** "14:05" today, "2 Dec" this year, else "2 Dec 2025": how lists date a conversation. */
export function shortTime(iso: string, locale: string): string {
  const d = new Date(iso);
  const now = new Date();
  if (now.toDateString() === d.toDateString())
    return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString(locale, {
    month: 'short',
    day: 'numeric',
    ...(d.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** "Agent: Sure, I can help" / the customer's words: a list's one-line preview of the newest message. */
export function previewLine(c: ConversationView, t: Translate): HTMLElement | null {
  if (!c.preview) return null;
  return h(
    'span',
    { class: 'preview', 'data-testid': 'conversation-preview', title: c.preview.text },
    c.preview.from === 'agent' ? h('span', { class: 'preview-by', text: t('previewAgent') }) : null,
    c.preview.text,
  );
}

export function time(iso: string, locale: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}
