/**
 * The customer's profile beside the conversation: VIP status, notes and attributes,
 * identities on every channel and their other conversations (the open one is not listed
 * again), kept current as their status, rating or number changes.
 */
import { fill, h } from '../../../ui/dom';
import type { ConversationView } from '../../../shared/protocol';
import type { ContactProfile } from '../api';
import { contactDetails } from './contact-details';
import { startForm } from './start';
import { avatar } from '../../../ui/avatar';
import { channelBadge, contactLabel, csatBadge, shortTime, type ViewContext } from './context';

export class ProfilePane {
  readonly el = h('aside', { class: 'profile', 'data-testid': 'profile', 'aria-label': '' });
  private contactId: string | null = null;
  private shown: ContactProfile | null = null;
  /** Kept while the same customer is shown, so a redraw keeps notes being typed. */
  private details: { id: string; el: HTMLElement } | null = null;
  /** The open conversation, left out of "Past conversations". */
  private openId: string | null = null;

  constructor(private readonly v: ViewContext) {
    this.el.setAttribute('aria-label', v.t('profile'));
    // A past conversation's rating (or status) changes while its profile is shown.
    v.live.on('conversation:updated', (c) => this.conversationUpdated(c));
  }

  private conversationUpdated(c: ConversationView): void {
    const p = this.shown;
    if (!p || this.contactId !== c.contactId) return;
    const at = p.conversations.findIndex((x) => x.id === c.id);
    // A conversation the customer started since the profile was loaded joins the list.
    if (at < 0) p.conversations.unshift(c);
    else p.conversations[at] = c;
    this.show(p);
  }

  render(): void {
    const open = this.v.live.open?.conversation ?? null;
    const contactId = open?.contactId ?? null;
    const openId = open?.id ?? null;
    if (contactId === this.contactId) {
      // Same customer, another of their conversations: the list changes, nothing to load.
      if (openId !== this.openId) {
        this.openId = openId;
        if (this.shown) this.show(this.shown);
      }
      return;
    }
    this.openId = openId;
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
    const open = this.v.live.open?.conversation;
    const name =
      c.name ??
      c.email ??
      c.phone ??
      (open ? contactLabel({ number: open.number, contactName: null }, t) : '');
    const others = p.conversations.filter((x) => x.id !== this.openId);
    const face = avatar(name, { key: c.id, size: 'lg', testid: 'profile-avatar' });
    // A visitor without a name is known by their number, as in the lists.
    if (!c.name && !c.email && !c.phone && open) face.textContent = String(open.number).slice(-2);
    fill(
      this.el,
      h('h2', { text: t('profile') }),
      h(
        'div',
        { class: 'person' },
        face,
        h(
          'div',
          {},
          h('p', { class: 'name', 'data-testid': 'profile-name', text: name }),
          c.email && c.email !== name ? h('p', { class: 'detail', text: c.email }) : null,
          c.phone && c.phone !== name ? h('p', { class: 'detail', text: c.phone }) : null,
        ),
      ),
      h('div', { class: 'profile-actions' }, this.vip(c), this.newConversation(c.id)),
      this.detailsOf(c.id),
      h('h3', { text: t('identities') }),
      h(
        'ul',
        { 'data-testid': 'identities' },
        ...c.identities.map((i) =>
          h(
            'li',
            {},
            channelBadge(i.channel),
            // A widget visitor's address is an opaque id: named, with the id on hover.
            i.channel === 'webchat'
              ? h('span', { class: 'address', title: i.address, text: t('webVisitor') })
              : h('span', { class: 'address', text: i.address }),
          ),
        ),
      ),
      h('h3', { text: t('history') }),
      h(
        'ul',
        { 'data-testid': 'past-conversations' },
        ...(others.length === 0 ? [h('li', { class: 'empty', text: t('noHistory') })] : []),
        ...others.map((conv) =>
          h(
            'li',
            { class: 'past', 'data-testid': 'past-conversation', 'data-conversation-id': conv.id },
            h('button', {
              class: 'link',
              text: t('conversationNumber', { n: conv.number }),
              onclick: () => this.v.open(conv.id),
            }),
            channelBadge(conv.channel),
            h('span', {
              class: `status st-${conv.status}`,
              'data-testid': 'past-status',
              text: t(conv.status),
            }),
            csatBadge(conv, t),
            h('time', { datetime: conv.lastMessageAt, text: shortTime(conv.lastMessageAt, locale) }),
            conv.preview
              ? h('span', { class: 'preview', title: conv.preview.text, text: conv.preview.text })
              : null,
          ),
        ),
      ),
    );
  }
}
