/** The customer's profile beside the conversation: VIP status, notes and attributes, identities on every channel and past conversations. */
import { fill, h } from '../../../ui/dom';
import type { ConversationView } from '../../../shared/protocol';
import type { ContactProfile } from '../api';
import { contactDetails } from './contact-details';
import { startForm } from './start';
import { channelBadge, contactLabel, csatBadge, time, type ViewContext } from './context';

export class ProfilePane {
  readonly el = h('aside', { class: 'profile', 'data-testid': 'profile', 'aria-label': '' });
  private contactId: string | null = null;
  private shown: ContactProfile | null = null;
  /** Kept while the same customer is shown, so a redraw keeps notes being typed. */
  private details: { id: string; el: HTMLElement } | null = null;

  constructor(private readonly v: ViewContext) {
    this.el.setAttribute('aria-label', v.t('profile'));
    // A past conversation's rating (or status) changes while its profile is shown.
    v.live.on('conversation:updated', (c) => this.conversationUpdated(c));
  }

  private conversationUpdated(c: ConversationView): void {
    const p = this.shown;
    if (!p || this.contactId !== c.contactId) return;
    const at = p.conversations.findIndex((x) => x.id === c.id);
    if (at < 0) return;
    p.conversations[at] = c;
    this.show(p);
  }

  render(): void {
    const contactId = this.v.live.open?.conversation.contactId ?? null;
    if (contactId === this.contactId) return;
    this.contactId = contactId;
    this.shown = null;
    fill(this.el);
    if (!contactId) return;
    this.v.api
      .contact(contactId)
      .then((p) => {
        if (this.contactId === contactId) this.show(p);
      })
      .catch((err: unknown) =>
        fill(this.el, h('p', { class: 'error', text: this.v.t('error', { message: String(err) }) })),
      );
  }

  /** Forces a reload (e.g. after the conversation changed state). */
  refresh(): void {
    this.contactId = null;
    this.render();
  }

  /** VIP status: supervisors and admins switch it; agents see it. */
  private vip(c: ContactProfile['contact']): HTMLElement {
    const { t, live, api } = this.v;
    const box = h('input', {
      type: 'checkbox',
      checked: c.vip === true,
      disabled: !live.isSupervisor,
      'data-testid': 'vip',
    });
    box.addEventListener('change', () =>
      live.attempt(async () => {
        await api.setVip(c.id, box.checked);
        this.refresh();
      }),
    );
    return h('label', { class: `vip${c.vip ? ' on' : ''}`, title: t('vipHint') }, box, ` ${t('vip')}`);
  }

  /** "New conversation": the form opens in place; the started conversation opens in the workspace. */
  private newConversation(contactId: string): HTMLElement {
    const { t, api } = this.v;
    const slot = h('div', { class: 'new-conversation' });
    const open = h('button', {
      'data-testid': 'new-conversation',
      text: t('newConversation'),
      onclick: () =>
        this.v.live.attempt(async () => {
          const { inboxes } = await api.inboxes();
          slot.replaceChildren(
            startForm(this.v, inboxes, async (body) => {
              const { conversation } = await api.startConversation({ ...body, contactId });
              slot.replaceChildren(open);
              this.v.open(conversation.id);
            }),
          );
        }),
    });
    slot.append(open);
    return slot;
  }

  private detailsOf(contactId: string): HTMLElement {
    if (this.details?.id !== contactId)
      this.details = { id: contactId, el: contactDetails(this.v, contactId) };
    return this.details.el;
  }

  private show(p: ContactProfile): void {
    const { t, locale } = this.v;
    const c = p.contact;
    this.shown = p;
    fill(
      this.el,
      h('h2', { text: t('profile') }),
      h('p', { class: 'name', 'data-testid': 'profile-name', text: c.name ?? c.email ?? c.phone ?? '—' }),
      this.vip(c),
      this.newConversation(c.id),
      c.email ? h('p', { text: c.email }) : null,
      c.phone ? h('p', { text: c.phone }) : null,
      this.detailsOf(c.id),
      h('h3', { text: t('identities') }),
      h(
        'ul',
        { 'data-testid': 'identities' },
        ...c.identities.map((i) => h('li', {}, channelBadge(i.channel), ' ', h('span', { text: i.address }))),
      ),
      h('h3', { text: t('history') }),
      h(
        'ul',
        { 'data-testid': 'past-conversations' },
        ...p.conversations.map((conv) =>
          h(
            'li',
            { 'data-testid': 'past-conversation', 'data-conversation-id': conv.id },
            h('button', { class: 'link', text: contactLabel(conv), onclick: () => this.v.open(conv.id) }),
            ' ',
            channelBadge(conv.channel),
            ' ',
            h('span', { class: `status st-${conv.status}`, text: t(conv.status) }),
            ' ',
            csatBadge(conv, t),
            conv.csat ? ' ' : null,
            h('time', { datetime: conv.lastMessageAt, text: time(conv.lastMessageAt, locale) }),
          ),
        ),
      ),
    );
  }
}
