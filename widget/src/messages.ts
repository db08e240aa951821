/** Renders the message list: the welcome line, stored messages and those still being sent. */
import type { MessageView } from '../../shared/protocol';
import type { ChatState, PendingMessage } from './chat';
import { attachmentLink } from '../../ui/attachments';
import { h } from '../../ui/dom';
import type { Key, Translate } from './i18n';

export interface ListOptions {
  t: Translate;
  locale: string;
  origin: string;
  welcome: string;
}

function time(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

function visitorState(m: MessageView, readUpTo: string | null): Key {
  if (m.readAt || (readUpTo && m.id <= readUpTo)) return 'read';
  if (m.delivery.status === 'failed') return 'failed';
  return m.delivery.status === 'delivered' ? 'delivered' : 'sent';
}

function stored(m: MessageView, state: ChatState, o: ListOptions): HTMLElement {
  const mine = m.direction === 'in';
  const system = m.sender.type === 'system' || m.automatic;
  const status: Key | null = mine ? visitorState(m, state.readUpTo) : null;
  return h(
    'div',
    {
      class: `msg${mine ? ' mine' : ''}${system ? ' system' : ''}`,
      'data-testid': 'message',
      'data-direction': m.direction,
      'data-id': m.id,
      'data-status': status,
    },
    !mine && !system ? h('span', { class: 'who', text: m.sender.name ?? o.t('someone') }) : null,
    h('span', { 'data-testid': 'message-text', text: m.text }),
    ...m.attachments.map((a) => attachmentLink(a, o.origin)),
    h('time', {
      class: 'meta',
      datetime: m.createdAt,
      text: status ? `${time(m.createdAt, o.locale)} · ${o.t(status)}` : time(m.createdAt, o.locale),
    }),
  );
}

function pending(p: PendingMessage, o: ListOptions): HTMLElement {
  const status: Key = p.failed ? 'failed' : 'sending';
  return h(
    'div',
    {
      class: `msg mine${p.failed ? ' failed' : ''}`,
      'data-testid': 'message',
      'data-direction': 'in',
      'data-status': status,
    },
    h('span', { 'data-testid': 'message-text', text: p.text }),
    ...p.attachments.map((a) => attachmentLink(a, o.origin)),
    h('span', { class: 'meta', text: `${time(p.createdAt, o.locale)} · ${o.t(status)}` }),
  );
}

/** Fills `list` (the log itself, or a part of it) and keeps the log scrolled to the end if it was. */
export function renderMessages(
  log: HTMLElement,
  state: ChatState,
  o: ListOptions,
  list: HTMLElement = log,
): void {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  list.replaceChildren(
    h('div', { class: 'msg system', 'data-testid': 'welcome', text: o.welcome }),
    ...state.messages.map((m) => stored(m, state, o)),
    ...state.pending.map((p) => pending(p, o)),
  );
  if (atBottom) log.scrollTop = log.scrollHeight;
}
