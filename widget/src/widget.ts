/**
 * The widget itself: a launcher with an unread badge and a chat panel inside a shadow
 * root. It opens (or resumes) the visitor's session, then shows the pre-chat form, the
 * offline form (with the opening hours while closed) or the conversation, with its status,
 * typing indicator and composer.
 */
import type { MessageView } from '../../shared/protocol';
import { Chat } from './chat';
import { avatar } from '../../ui/avatar';
import { fill, h } from '../../ui/dom';
import { Composer } from './composer';
import { chatIcon } from './icons';
import { introForm, type IntroValues } from './forms';
import { closedNow, closedText, hoursBlock } from './hours';
import type { Locale } from '../../ui/locale';
import type { Translate } from './i18n';
import { ScrollPin, renderMessages } from './messages';
import {
  SessionRefused,
  openSession,
  type InboxInfo,
  type SessionStore,
  type SignedIdentity,
} from './session';
import { styles } from './styles';
import { Suggestions } from './suggestions';
import { SurveyCard } from './survey';

export interface WidgetConfig {
  origin: string;
  inboxKey: string;
  locale: Locale;
  t: Translate;
  store: SessionStore;
  /** The signed-in user of the host site, if it signs one. */
  identity: SignedIdentity | null;
}

type Mode = 'loading' | 'prechat' | 'offline' | 'chat';

export class Widget {
  private mode: Mode = 'loading';
  private inbox: InboxInfo | null = null;
  private token = '';
  private visitorId: string | null = null;
  /** Why the gateway refused the visitor (their signed identity), shown instead of any status. */
  private refused: string | null = null;
  private open = false;
  private readonly chat: Chat;
  private readonly launcher: HTMLButtonElement;
  private readonly badge = h('span', { class: 'badge', 'data-testid': 'unread', hidden: true });
  private readonly panel: HTMLElement;
  private readonly status = h('div', { class: 'status', 'data-testid': 'status', role: 'status' });
  private readonly body = h('div', { style: 'display:contents' });
  private readonly list = h('div', { style: 'display:contents' });
  private readonly log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'data-testid': 'log' });
  private readonly pin = new ScrollPin(this.log);
  /** The header: who the visitor is talking to once an agent has the conversation. */
  private readonly heading = h('div', { class: 'heading' });
  private shownAgent: string | null | undefined;
  private readonly survey: SurveyCard;
  private readonly typing = h('div', { class: 'typing', 'data-testid': 'typing', 'aria-live': 'polite' });
  private readonly composer: Composer;
  private readonly suggestions: Suggestions;
  private readonly accept: HTMLButtonElement;

  constructor(
    private readonly root: ShadowRoot,
    private readonly cfg: WidgetConfig,
  ) {
    const { t } = cfg;
    this.chat = new Chat(
      cfg.origin,
      () => this.render(),
      (m) => this.agentMessage(m),
    );
    this.chat.watchNetwork(window);
    this.survey = new SurveyCard(t, (id, rating, comment) => this.chat.answerSurvey(id, rating, comment));
    this.log.append(this.list, this.survey.el);
    this.accept = h('button', {
      class: 'accept-solution',
      type: 'button',
      hidden: true,
      'data-testid': 'accept-solution',
      text: t('acceptSolution'),
      onclick: () => this.chat.acceptSolution(),
    });
    this.launcher = h(
      'button',
      {
        class: 'launcher',
        type: 'button',
        'aria-label': t('open'),
        'aria-expanded': 'false',
        'data-testid': 'launcher',
        onclick: () => this.toggle(!this.open),
      },
      chatIcon(),
      this.badge,
    );
    this.suggestions = new Suggestions(t, cfg.origin, cfg.locale, cfg.inboxKey);
    this.composer = new Composer(t, this.chat, cfg.origin, () => this.token, {
      typed: (text) => this.suggestions.typed(text),
      // Until an agent has answered, what the visitor sends is their question.
      sent: (text) =>
        this.suggestions.sent(text, !this.chat.state.messages.some((m) => m.direction === 'out')),
    });
    this.panel = h(
      'section',
      { class: 'panel', role: 'dialog', 'aria-label': t('title'), hidden: true, 'data-testid': 'panel' },
      h(
        'header',
        {},
        this.heading,
        h('button', {
          type: 'button',
          'aria-label': t('close'),
          'data-testid': 'close',
          text: '×',
          onclick: () => this.toggle(false),
        }),
      ),
      this.status,
      this.body,
    );
    this.panel.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') this.toggle(false);
    });
    root.append(h('style', { text: styles }), this.panel, this.launcher);
    this.renderHeading();
  }

  /** "Chat with us" until an agent joins; then their avatar, name and role, as chat apps show it. */
  private renderHeading(): void {
    const { t } = this.cfg;
    const st = this.chat.state.status;
    const agent = st?.status === 'assigned' ? st.agentName : null;
    if (agent === this.shownAgent) return;
    this.shownAgent = agent;
    fill(
      this.heading,
      agent ? avatar(agent, { size: 'md', testid: 'header-avatar' }) : null,
      h(
        'div',
        { class: 'titles' },
        h('h2', { 'data-testid': 'title', text: agent ?? t('title') }),
        agent ? h('p', { class: 'subtitle', 'data-testid': 'agent-role', text: t('agentRole') }) : null,
      ),
    );
  }

  /** Opens the session, retrying with backoff while the gateway is unreachable. */
  async start(): Promise<void> {
    for (let delay = 1000; ; delay = Math.min(delay * 2, 30_000)) {
      try {
        await this.begin();
        return;
      } catch (err) {
        if (err instanceof SessionRefused) {
          this.refused = err.code?.startsWith('identity_') ? this.cfg.t('identityRefused') : null;
          this.status.textContent = this.refused ?? '';
          throw err;
        }
        this.status.textContent = this.cfg.t('connecting');
        await new Promise((resolve) => window.setTimeout(resolve, delay));
      }
    }
  }

  private async begin(): Promise<void> {
    const saved = this.cfg.store.load();
    const reply = await openSession(this.cfg.origin, {
      inboxKey: this.cfg.inboxKey,
      token: saved?.token,
      locale: this.cfg.locale,
      identity: this.cfg.identity ?? undefined,
    });
    this.inbox = reply.inbox;
    // Another visitor than the stored one (a user signed in or out): what was shown goes.
    const same = reply.visitorId === this.visitorId || this.visitorId === null;
    this.visitorId = reply.visitorId;
    if (!same) this.chat.reset();
    this.token = reply.token;
    const kept = saved && same ? saved : null;
    this.cfg.store.save({
      token: reply.token,
      ...(kept ? {} : { introduced: false, seenUpTo: null, survey: null }),
    });
    this.chat.state.survey ??= kept?.survey ?? null;
    // A signed-in user is known already: no pre-chat form.
    const introduced = (kept?.introduced ?? false) || reply.conversationId !== null || reply.verified;
    if (introduced) this.mode = 'chat';
    else if (!reply.inbox.online) this.mode = 'offline';
    else this.mode = reply.inbox.preChat.enabled ? 'prechat' : 'chat';
    this.chat.connect(this.token);
    this.layout();
  }

  private layout(): void {
    const { t } = this.cfg;
    const inbox = this.inbox;
    if (!inbox) return;
    if (this.mode === 'prechat' || this.mode === 'offline') {
      fill(
        this.body,
        introForm(
          t,
          this.mode,
          {
            requireEmail: inbox.preChat.requireEmail,
            expectation: inbox.replyExpectation ?? null,
            topics: (inbox.preChat.categories ?? []).map((c) => ({
              key: c.key,
              label: this.cfg.locale === 'zh-CN' ? c.names.zh : c.names.en,
            })),
            closed:
              inbox.hours && closedNow(inbox.hours) ? hoursBlock(t, this.cfg.locale, inbox.hours) : null,
          },
          (v) => this.introduce(v),
        ),
        this.suggestions.el,
      );
      const question = this.body.querySelector<HTMLTextAreaElement>('[data-testid="intro-message"]');
      question?.addEventListener('input', () => this.suggestions.typed(question.value));
      if (this.open) this.focusFirst();
      return;
    }
    this.suggestions.clear();
    fill(
      this.body,
      this.log,
      this.typing,
      this.accept,
      this.suggestions.el,
      this.composer.form,
      this.composer.hint,
    );
    this.render();
    if (this.open) this.focusFirst();
  }

  private focusFirst(): void {
    const first = this.body.querySelector<HTMLElement>('input:not([type="file"]), textarea');
    first?.focus();
  }

  /** The host page signed a user in (or out, with null): the chat becomes theirs. */
  async identify(identity: SignedIdentity | null): Promise<void> {
    this.cfg.identity = identity;
    if (!identity) this.cfg.store.save({ token: '' });
    this.refused = null;
    this.status.textContent = '';
    await this.start();
  }

  private async introduce(v: IntroValues): Promise<void> {
    const reply = await openSession(this.cfg.origin, {
      inboxKey: this.cfg.inboxKey,
      identity: this.cfg.identity ?? undefined,
      token: this.token,
      name: v.name,
      email: v.email || undefined,
      category: v.category || undefined,
      locale: this.cfg.locale,
    });
    this.token = reply.token;
    this.cfg.store.save({ token: reply.token, introduced: true });
    if (v.message) this.suggestions.sent(v.message, true);
    this.chat.connect(this.token); // the new token carries the name and email
    if (v.message) this.chat.send(v.message);
    this.mode = 'chat';
    this.layout();
    this.composer.focus();
  }

  private toggle(open: boolean): void {
    this.open = open;
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', this.cfg.t(open ? 'close' : 'open'));
    if (open) {
      this.render();
      // The log has a size again: back to where the reader was, the newest line unless they scrolled up.
      this.pin.keep();
      this.focusFirst();
    } else this.launcher.focus();
  }

  private statusText(): string {
    const { t } = this.cfg;
    if (this.refused) return this.refused;
    const st = this.chat.state.status;
    const hours = this.inbox?.hours;
    // While closed no pickup time is promised: the hours say when someone will be there.
    const closed = hours && closedNow(hours) ? closedText(t, this.cfg.locale, hours) : null;
    if (!this.chat.state.connected && this.mode === 'chat') return t('connecting');
    if (st?.status === 'queued') {
      // Nobody is online: the visitor was told to expect an email, so no place in line or minutes are promised.
      if (!closed && this.inbox && !this.inbox.online)
        return this.inbox.replyExpectation ?? t('queuedOffline');
      const line = st.queuePosition ? queueLine(t, st.queuePosition) : '';
      const due = st.pickupDueAt ? Date.parse(st.pickupDueAt) - Date.now() : NaN;
      const wait = due > 0 ? t('queuedWait', { min: Math.max(1, Math.ceil(due / 60_000)) }) : '';
      // Chinese sentences follow each other without a space.
      return [line, closed ?? wait].filter(Boolean).join(this.cfg.locale === 'zh-CN' ? '' : ' ');
    }
    if (closed && this.mode === 'chat') return closed;
    if (st?.status === 'assigned')
      return st.agentName ? t('assigned', { name: st.agentName }) : t('assignedAnon');
    if (st?.status === 'resolved') return t('resolved');
    if (this.inbox && !this.inbox.online && this.mode === 'chat')
      return this.inbox.replyExpectation ?? t('offlineIntro');
    return '';
  }

  private render(): void {
    const { t, locale, origin } = this.cfg;
    const state = this.chat.state;
    this.status.textContent = this.statusText();
    this.status.className = `status${this.inbox && !this.inbox.online ? ' offline' : ''}`;
    this.status.dataset.state = state.status?.status ?? 'none';
    if (this.mode !== 'chat') {
      this.renderHeading();
      return;
    }
    this.renderHeading();
    renderMessages(this.list, state, { t, locale, origin, welcome: this.inbox?.welcome || t('welcome') });
    this.renderSurvey();
    this.pin.keep();
    this.accept.hidden = state.solution === null;
    this.typing.textContent =
      state.agentTyping === null ? '' : t('typing', { name: state.agentTyping || t('someone') });
    if (this.open) this.markSeen();
    this.updateBadge();
  }

  /** The rating card belongs to the resolved conversation: it goes once the visitor starts a new one. */
  private renderSurvey(): void {
    const { survey, status } = this.chat.state;
    const current = status?.conversationId ?? null;
    const shown = survey && (current === null || current === survey.conversationId) ? survey : null;
    const stored = this.cfg.store.load()?.survey ?? null;
    if (JSON.stringify(stored) !== JSON.stringify(shown) && (shown || current !== null))
      this.cfg.store.save({ survey: shown });
    if (this.survey.update(shown)) this.pin.toEnd();
  }

  private agentMessage(m: MessageView): void {
    if (this.open && document.visibilityState === 'visible') this.chat.markRead(m.id);
  }

  private lastAgentMessage(): MessageView | undefined {
    return [...this.chat.state.messages].reverse().find((m) => m.direction === 'out');
  }

  private markSeen(): void {
    const last = this.lastAgentMessage();
    const seen = this.cfg.store.load()?.seenUpTo ?? null;
    if (!last || (seen && seen >= last.id)) return;
    this.cfg.store.save({ seenUpTo: last.id });
    this.chat.markRead(last.id);
  }

  private updateBadge(): void {
    const seen = this.cfg.store.load()?.seenUpTo ?? '';
    const n = this.open
      ? 0
      : this.chat.state.messages.filter((m) => m.direction === 'out' && m.id > seen).length;
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 9 ? '9+' : String(n);
    this.badge.setAttribute('aria-label', this.cfg.t('unread', { n }));
  }
}

/** "You're next." for the first in line, else how many wait ahead of the visitor. */
export function queueLine(t: Translate, place: number): string {
  if (place <= 1) return t('queuedNext');
  return place === 2 ? t('queuedAheadOne') : t('queuedAhead', { n: place - 1 });
}
