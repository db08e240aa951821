/**
 * The signed-in console: header (who is signed in, presence, language, sign out), tabs,
 * and the panes kept live. Supervisors and admins start on their own view; a change of
 * language rebuilds the console on the same tab and conversation.
 */
import type { AgentView, PresenceView } from '../../../shared/protocol';
import { avatar } from '../../../ui/avatar';
import { fill, h } from '../../../ui/dom';
import { selectMenu } from '../../../ui/select';
import type { Locale } from '../../../ui/locale';
import { api } from '../api';
import { announce } from '../alerting';
import { startTicker, tick } from '../countdown';
import type { Translate } from '../i18n';
import { Live, type Topic } from '../live';
import { contactLabel, type ViewContext } from './context';
import { ConversationPane } from './conversation';
import { renderMine, renderOffers, renderQueue } from './lists';
import { panes, type Pane } from './panes';
import { ProfilePane } from './profile';

/** Where the agent is in the console: kept across a change of language. */
export interface ShellPlace {
  tab: string;
  conversationId: string | null;
}

export interface ShellOptions {
  token: string;
  agent: AgentView;
  t: Translate;
  locale: Locale;
  /** Rebuilds the console in another language, back at `place`. */
  setLocale(l: Locale, place: ShellPlace): void;
  signOut(): void;
  /** Where to open: after a language change, the same tab and conversation. */
  place?: ShellPlace;
}

export function shell(root: HTMLElement, o: ShellOptions): () => void {
  const { t } = o;
  const live = new Live(
    location.origin,
    o.token,
    o.agent,
    (offer) => announce(t('appTitle'), t('newOffer', { name: contactLabel(offer.conversation, t) })),
    () => o.signOut(),
    (alert, conversation) =>
      announce(
        t('appTitle'),
        t(alert.kind === 'breach' ? 'replyOverdue' : 'replyDueSoon', {
          name: conversation ? contactLabel(conversation, t) : '',
        }),
      ),
  );
  let tab = 'work';
  const v: ViewContext = {
    live,
    api: api(o.token),
    token: o.token,
    t,
    locale: o.locale,
    open: (id) => {
      setTab('work');
      live.attempt(() => live.openConversation(id));
    },
  };

  const presenceMenu = selectMenu(
    { label: t('presence'), testid: 'presence' },
    (['online', 'away', 'offline'] as PresenceView[]).map((p) => ({ value: p, label: t(p) })),
    (value) => live.attempt(() => live.setPresence(value as PresenceView)),
  );
  const presence = presenceMenu.select;
  presenceMenu.el.classList.add('presence-menu');
  const languageMenu = selectMenu(
    { label: t('language'), testid: 'language', value: o.locale },
    [
      { value: 'en', label: 'English' },
      { value: 'zh-CN', label: '简体中文' },
    ],
    (value) =>
      o.setLocale(value === 'zh-CN' ? 'zh-CN' : 'en', {
        tab,
        conversationId: live.open?.conversation.id ?? null,
      }),
  );

  const banner = h('div', { class: 'banner', role: 'alert', 'data-testid': 'banner' });
  const workTab = h('button', {
    role: 'tab',
    'data-testid': 'tab-work',
    text: t('workspace'),
    onclick: () => setTab('work'),
  });
  const me = h('span', { class: 'me', 'data-testid': 'me' });
  const roleWord = { agent: 'roleAgent', supervisor: 'roleSupervisor', admin: 'roleAdmin' } as const;
  const who = h(
    'div',
    { class: 'who-am-i' },
    avatar(o.agent.name, { key: o.agent.id, size: 'sm', testid: 'me-avatar' }),
    h('div', { class: 'who-text' }, me, h('span', { class: 'role', text: t(roleWord[o.agent.role]) })),
  );

  const offers = h('section', { class: 'offers' });
  const queue = h('section', { class: 'queue' });
  const mine = h('section', { class: 'mine' });
  const conversation = new ConversationPane(v);
  const profile = new ProfilePane(v);
  const tabs: { id: string; button: HTMLButtonElement; pane: Pane }[] = panes
    .filter((p) => p.visible?.(v) ?? true)
    .map((p) => ({
      id: p.id,
      pane: p.create(v),
      button: h('button', {
        role: 'tab',
        'data-testid': `tab-${p.id}`,
        text: t(p.label),
        onclick: () => setTab(p.id),
      }),
    }));
  const work = h(
    'div',
    { class: 'work', role: 'tabpanel' },
    h('nav', { class: 'lists' }, offers, mine, queue),
    conversation.el,
    profile.el,
  );

  fill(
    root,
    h(
      'header',
      { class: 'top' },
      h('h1', { text: t('appTitle') }),
      h('div', { role: 'tablist' }, workTab, ...tabs.map((x) => x.button)),
      who,
      presenceMenu.el,
      languageMenu.el,
      h('button', {
        class: 'quiet',
        'data-testid': 'sign-out',
        text: t('signOut'),
        onclick: () => o.signOut(),
      }),
    ),
    banner,
    ...tabs.map((x) => x.pane.notice),
    work,
    ...tabs.map((x) => x.pane.el),
  );

  function setTab(next: string): void {
    const was = tab;
    tab = tabs.some((x) => x.id === next) ? next : 'work';
    work.hidden = tab !== 'work';
    workTab.setAttribute('aria-selected', String(tab === 'work'));
    for (const x of tabs) {
      x.pane.el.hidden = x.id !== tab;
      x.button.setAttribute('aria-selected', String(x.id === tab));
      if (x.id === tab) x.pane.show?.();
      else if (x.id === was) x.pane.hide?.();
    }
    draw('supervisor');
  }

  function draw(topic: Topic): void {
    if (topic === 'me' || topic === 'connection') {
      me.textContent = live.me.name;
      presence.value = live.me.presence;
      me.dataset.presence = live.me.presence;
    }
    if (topic === 'connection' || topic === 'error') {
      banner.textContent = !live.connected
        ? t('disconnected')
        : live.lastError
          ? t('error', { message: live.lastError })
          : '';
      banner.hidden = banner.textContent === '';
      live.lastError = null;
    }
    if (topic === 'offers') {
      renderOffers(offers, v);
      renderQueue(queue, v);
    }
    if (topic === 'queue') renderQueue(queue, v);
    if (topic === 'mine' || topic === 'open') renderMine(mine, v);
    if (topic === 'open') {
      conversation.render();
      profile.render();
      renderQueue(queue, v);
    }
    // Agents' presence feeds the transfer targets of the open conversation.
    if (topic === 'supervisor') conversation.render();
    tabs.find((x) => x.id === tab)?.pane.update?.(topic);
    tick(root);
  }

  const unsubscribe = live.subscribe(draw);
  const stopTicker = startTicker(root);
  for (const topic of ['me', 'connection', 'offers', 'queue', 'mine', 'open'] as Topic[]) draw(topic);
  // Supervisors and admins watch the floor first; agents start with their conversations.
  setTab(
    o.place?.tab ?? (live.isSupervisor && tabs.some((x) => x.id === 'supervisor') ? 'supervisor' : 'work'),
  );
  const reopen = o.place?.conversationId;
  if (reopen) live.attempt(() => live.openConversation(reopen));
  v.api
    .agents()
    .then((r) => live.knowAgents(r.agents))
    .catch(() => undefined);
  return () => {
    unsubscribe();
    stopTicker();
    tabs.find((x) => x.id === tab)?.pane.hide?.();
    live.close();
  };
}
