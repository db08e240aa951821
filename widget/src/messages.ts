/**
 * Renders the message list: the welcome line, stored messages and those still being sent.
 * An agent's messages carry their avatar and name at the start of each run, as in any chat app.
 */
import type { MessageView } from '../../shared/protocol';
import type { ChatState, PendingMessage } from './chat';
import { attachmentLink } from '../../ui/attachments';
import { avatar } from '../../ui/avatar';
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

const fromAgent = (m: MessageView | undefined) =>
  m !== undefined && m.direction === 'out' && m.sender.type !== 'system' && !m.automatic;

function stored(m: MessageView, state: ChatState, o: ListOptions, previous?: MessageView): HTMLElement {
  const mine = m.direction === 'in';
  const system = m.sender.type === 'system' || m.automatic;
  const status: Key | null = mine ? visitorState(m, state.readUpTo) : null;
  const bubble = h(
    'div',
    {
      class: `msg${mine ? ' mine' : ''}${system ? ' system' : ''}`,
      'data-testid': 'message',
      'data-direction': m.direction,
      'data-id': m.id,
      'data-status': status,
    },
    h('span', { 'data-testid': 'message-text', text: m.text }),
    ...m.attachments.map((a) => attachmentLink(a, o.origin)),
    h('time', {
      class: 'meta',
      datetime: m.createdAt,
      text: status ? `${time(m.createdAt, o.locale)} · ${o.t(status)}` : time(m.createdAt, o.locale),
    }),
  );
  if (!fromAgent(m)) return bubble;
  // A run of one agent's messages shows who wrote them once, at its start.
  const first = !fromAgent(previous) || previous?.sender.id !== m.sender.id;
  const name = m.sender.name ?? o.t('someone');
  return h(
    'div',
    { class: `from-agent${first ? ' first' : ''}` },
    first ? avatar(name, { size: 'sm', testid: 'agent-avatar' }) : null,
    h(
      'div',
      { class: 'stack' },
      first ? h('span', { class: 'who', 'data-testid': 'agent-name', text: name }) : null,
      bubble,
    ),
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

/** Fills `list` with the conversation; keeping it scrolled is the log's owner's job (see ScrollPin). */
export function renderMessages(list: HTMLElement, state: ChatState, o: ListOptions): void {
  list.replaceChildren(
    h('div', { class: 'msg system', 'data-testid': 'welcome', text: o.welcome }),
    ...state.messages.map((m, i) => stored(m, state, o, state.messages[i - 1])),
    ...state.pending.map((p) => pending(p, o)),
  );
}

/**
 * Keeps a scrolling log at its newest line unless the reader scrolled up. What the reader
 * did is only read while the log is on screen: a hidden log (a closed panel) has no
 * scroll position, so it opens at the end again, whatever arrived meanwhile.
 */
export class ScrollPin {
  private pinned = true;

  constructor(private readonly log: HTMLElement) {
    log.addEventListener('scroll', () => {
      if (log.clientHeight > 0) this.pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    });
  }

  /** After new content, or once the log became visible. */
  keep(): void {
    if (this.pinned) this.toEnd();
  }

  toEnd(): void {
    this.pinned = true;
    this.log.scrollTop = this.log.scrollHeight;
  }
}
