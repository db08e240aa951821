/** The signed-in console: header (presence, language, sign out), tabs, and the panes kept live. */
import type { AgentView, PresenceView } from '../../../shared/protocol';
import { fill, h } from '../../../widget/src/dom';
import type { Locale } from '../../../widget/src/i18n';
import { api } from '../api';
import { announce } from '../alerting';
import { startTicker, tick } from '../countdown';
import type { Translate } from '../i18n';
import { Live, type Topic } from '../live';
import { contactLabel, type ViewContext } from './context';
import { ConversationPane } from './conversation';
import { FollowUpsPane } from './followups';
import { renderMine, renderOffers, renderQueue } from './lists';
import { ProfilePane } from './profile';
import { SupervisorPane } from './supervisor';

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
  let tab: 'work' | 'followups' | 'supervisor' = 'work';
  const v: ViewContext = {
    live,
    api: api(o.token),
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
  const supTab = h('button', {
    role: 'tab',
    'data-testid': 'tab-supervisor',
    text: t('supervisor'),
    onclick: () => setTab('supervisor'),
  });
  const followTab = h('button', {
    role: 'tab',
    'data-testid': 'tab-followups',
    text: t('followUps'),
    onclick: () => setTab('followups'),
  });
  const me = h('span', { class: 'me', 'data-testid': 'me' });

  const offers = h('section', { class: 'offers' });
  const queue = h('section', { class: 'queue' });
  const mine = h('section', { class: 'mine' });
  const conversation = new ConversationPane(v);
  const profile = new ProfilePane(v);
  const supervisor = new SupervisorPane(v);
  const followUps = new FollowUpsPane(v);
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
      h('div', { role: 'tablist' }, workTab, followTab, live.isSupervisor ? supTab : null),
      me,
      presence,
      language,
      h('button', { 'data-testid': 'sign-out', text: t('signOut'), onclick: () => o.signOut() }),
    ),
    banner,
    work,
    followUps.el,
    supervisor.el,
  );

  function setTab(next: typeof tab): void {
    tab = next === 'supervisor' && !live.isSupervisor ? 'work' : next;
    work.hidden = tab !== 'work';
    followUps.el.hidden = tab !== 'followups';
    followTab.setAttribute('aria-selected', String(tab === 'followups'));
    if (tab === 'followups') followUps.show();
    supervisor.el.hidden = tab !== 'supervisor';
    workTab.setAttribute('aria-selected', String(tab === 'work'));
    supTab.setAttribute('aria-selected', String(tab === 'supervisor'));
    if (tab === 'supervisor') supervisor.show();
    else supervisor.hide();
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
    if ((topic === 'supervisor' || topic === 'queue') && tab === 'supervisor') supervisor.render();
    if (topic === 'supervisor' && live.alerts.some((a) => a.kind === 'breach') && tab === 'supervisor')
      supervisor.loadAttainment();
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
    supervisor.hide();
    live.close();
  };
}
