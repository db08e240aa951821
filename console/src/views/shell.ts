/** The signed-in console: header (presence, language, sign out), tabs, and the panes kept live. */
import type { AgentView, PresenceView } from '../../../shared/protocol';
import { fill, h } from '../../../ui/dom';
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

export interface ShellOptions {
  token: string;
  agent: AgentView;
  t: Translate;
  locale: Locale;
  setLocale(l: Locale): void;
  signOut(): void;
}

export function shell(root: HTMLElement, o: ShellOptions): () => void {
  const { t } = o;
  const live = new Live(
    location.origin,
    o.token,
    o.agent,
    (offer) => announce(t('appTitle'), t('newOffer', { name: contactLabel(offer.conversation) })),
    () => o.signOut(),
    (alert, conversation) =>
      announce(
        t('appTitle'),
        t(alert.kind === 'breach' ? 'replyOverdue' : 'replyDueSoon', {
          name: conversation ? contactLabel(conversation) : '',
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

  const presence = h('select', { 'data-testid': 'presence', 'aria-label': t('presence') });
  for (const p of ['online', 'away', 'offline'] as PresenceView[])
    presence.append(h('option', { value: p, text: t(p) }));
  presence.addEventListener('change', () =>
    live.attempt(() => live.setPresence(presence.value as PresenceView)),
  );
  const language = h('select', { 'data-testid': 'language', 'aria-label': t('language') });
  language.append(
    h('option', { value: 'en', text: 'English' }),
    h('option', { value: 'zh-CN', text: '简体中文' }),
  );
  language.value = o.locale;
  language.addEventListener('change', () => o.setLocale(language.value === 'zh-CN' ? 'zh-CN' : 'en'));

  const banner = h('div', { class: 'banner', role: 'alert', 'data-testid': 'banner' });
  const workTab = h('button', {
    role: 'tab',
    'data-testid': 'tab-work',
    text: t('workspace'),
    onclick: () => setTab('work'),
  });
  const me = h('span', { class: 'me', 'data-testid': 'me' });

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
      me,
      presence,
      language,
      h('button', { 'data-testid': 'sign-out', text: t('signOut'), onclick: () => o.signOut() }),
    ),
    banner,
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
    if (topic === 'offers') renderOffers(offers, v);
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
  setTab('work');
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
