/**
 * The open conversation: header with status and reply countdown, actions (take,
 * transfer, resolve, reopen), its category, priority and labels, the full history with each message's channel, and the
 * composer with its public reply / private note toggle (and, on SMS, the text's length
 * and parts).
 */
import type { MessageView } from '../../../shared/protocol';
import { smsLength } from '../../../shared/sms-segments';
import { attachmentLink } from '../../../ui/attachments';
import { fill, h } from '../../../ui/dom';
import { selectMenu, type ChoiceGroup } from '../../../ui/select';
import type { Team } from '../api';
import type { Key } from '../i18n';
import { countdown } from '../countdown';
import { AttachmentPicker } from './attachments';
import { CannedPicker } from './canned';
import { ArticleLinkPicker } from './knowledge/link-picker';
import { ClassificationBar } from './classification';
import { ComplaintPanel } from './complaint';
import type { OpenConversation } from '../live';
import { channelBadge, contactAvatar, contactLabel, csatBadge, time, type ViewContext } from './context';

/** Delivery states the console has words for; another one is shown as the server names it. */
const DELIVERY = ['received', 'pending', 'queued', 'sent', 'delivered', 'read', 'undelivered', 'failed'];
import { PhraseGuard } from './phrases';

export class ConversationPane {
  readonly el = h('section', { class: 'conversation', 'data-testid': 'conversation', 'aria-live': 'polite' });
  private readonly header = h('div', { class: 'conv-header' });
  private readonly log = h('ol', { class: 'history', 'data-testid': 'history', role: 'log' });
  private readonly typing = h('div', { class: 'typing', 'data-testid': 'contact-typing' });
  private composer: HTMLElement | null = null;
  private shownId: string | null = null;
  private teams: Team[] = [];
  private readonly classification: ClassificationBar;
  private readonly complaint: ComplaintPanel;

  constructor(private readonly v: ViewContext) {
    this.classification = new ClassificationBar(v);
    this.complaint = new ComplaintPanel(v, () => this.render());
    this.v.api
      .teams()
      .then((r) => (this.teams = r.teams))
      .catch(() => (this.teams = []));
  }

  render(): void {
    const open = this.v.live.open;
    if (!open) {
      fill(
        this.el,
        h(
          'div',
          { class: 'placeholder', 'data-testid': 'no-conversation' },
          h('strong', { text: this.v.t('choose') }),
          h('span', { text: this.v.t('chooseHint') }),
        ),
      );
      this.shownId = null;
      return;
    }
    const switched = this.shownId !== open.conversation.id;
    if (switched || !this.composer) {
      this.shownId = open.conversation.id;
      this.composer = this.buildComposer();
      fill(
        this.el,
        this.header,
        this.classification.el,
        this.complaint.el,
        this.log,
        this.typing,
        this.composer,
      );
    }
    this.complaint.render(open.conversation);
    this.renderHeader(open);
    this.classification.render(open.conversation);
    this.renderHistory(open);
    // Another conversation opens at its newest message.
    if (switched) this.log.scrollTop = this.log.scrollHeight;
    this.typing.textContent =
      open.typing === null ? '' : this.v.t('typing', { name: open.typing || this.v.t('customer') });
  }

  private renderHeader(open: OpenConversation): void {
    const { t, live } = this.v;
    const c = open.conversation;
    const id = c.id;
    const mineNow = c.assigneeId === live.me.id;
    // Only colleagues who can take it now: online first, then away; offline ones are not offered.
    const colleagues = (presence: 'online' | 'away') =>
      live.agents
        .filter((a) => a.id !== live.me.id && a.presence === presence)
        .sort((a, b) => a.name.localeCompare(b.name, this.v.locale))
        .map((a) => ({ value: `agent:${a.id}`, label: a.name }));
    const groups: ChoiceGroup[] = [
      { label: t('onlineAgents'), choices: colleagues('online') },
      { label: t('awayAgents'), choices: colleagues('away') },
      { label: t('team'), choices: this.teams.map((tm) => ({ value: `team:${tm.id}`, label: tm.name })) },
    ].filter((g) => g.choices.length > 0);
    const menu = selectMenu(
      { label: t('transferTo'), testid: 'transfer-target', placeholder: t('chooseTarget') },
      groups,
    );
    const target = menu.select;
    // Re-rendering on presence changes keeps what the agent had picked, while it is still offered.
    const picked = this.header.querySelector<HTMLSelectElement>('[data-testid="transfer-target"]')?.value;
    if (picked && [...target.options].some((op) => op.value === picked && !op.disabled))
      target.value = picked;
    fill(
      this.header,
      contactAvatar(c, t, 'lg'),
      h(
        'div',
        { class: 'conv-title' },
        h('h2', { 'data-testid': 'conversation-title', text: contactLabel(c, t) }),
        h('span', { class: 'number', text: t('conversationNumber', { n: c.number }) }),
      ),
      channelBadge(c.channel),
      c.subject ? h('span', { class: 'subject', 'data-testid': 'open-subject', text: c.subject }) : null,
      h('span', { class: `status st-${c.status}`, 'data-testid': 'conversation-status', text: t(c.status) }),
      csatBadge(c, t),
      h(
        'span',
        { class: 'timers' },
        h('span', { text: t('replyIn') }),
        ' ',
        countdown(c.replyClock, 'open-reply-countdown', t('replyIn')),
      ),
      h(
        'div',
        { class: 'actions' },
        c.status === 'queued'
          ? h('button', {
              class: 'primary',
              'data-testid': 'take',
              text: t('take'),
              onclick: () => live.attempt(() => live.take(id)),
            })
          : null,
        c.status === 'assigned'
          ? h(
              'span',
              { class: 'transfer' },
              menu.el,
              h('button', {
                'data-testid': 'transfer',
                text: t('transfer'),
                onclick: () => {
                  const [kind, to] = target.value.split(':');
                  if (!to) return;
                  live.attempt(() =>
                    live.call(
                      'conversation:transfer',
                      kind === 'team'
                        ? { conversationId: id, toTeamId: to }
                        : { conversationId: id, toAgentId: to },
                    ),
                  );
                },
              }),
            )
          : null,
        c.status === 'assigned' && (mineNow || live.isSupervisor)
          ? h('button', {
              'data-testid': 'escalate',
              text: t('escalate'),
              onclick: () => live.attempt(() => live.call('conversation:escalate', { conversationId: id })),
            })
          : null,
        c.status === 'assigned' && (mineNow || live.isSupervisor)
          ? h('button', {
              'data-testid': 'resolve',
              text: t('resolve'),
              onclick: () => live.attempt(() => live.call('conversation:resolve', { conversationId: id })),
            })
          : null,
        c.status === 'resolved'
          ? h('button', {
              'data-testid': 'reopen',
              text: t('reopen'),
              onclick: () => live.attempt(() => live.call('conversation:reopen', { conversationId: id })),
            })
          : null,
      ),
    );
  }

  private message(m: MessageView): HTMLElement {
    const { t, locale } = this.v;
    const open = this.v.live.open?.conversation;
    const who =
      m.sender.type === 'contact'
        ? (m.sender.name ?? (open ? contactLabel(open, t) : t('customer')))
        : m.sender.type === 'system'
          ? t('system')
          : (m.sender.name ?? t('agent'));
    return h(
      'li',
      {
        class: `msg ${m.direction}${m.private ? ' note' : ''}${m.automatic ? ' auto' : ''}`,
        'data-testid': 'history-message',
        'data-id': m.id,
        'data-direction': m.direction,
        'data-private': m.private ? 'true' : 'false',
      },
      h(
        'div',
        { class: 'meta' },
        h('strong', { text: who }),
        channelBadge(m.channel),
        m.private ? h('span', { class: 'tag', text: t('privateNote') }) : null,
        h('time', { datetime: m.createdAt, text: time(m.createdAt, locale) }),
        m.direction === 'out' && !m.private
          ? h('span', {
              class: 'delivery',
              'data-testid': 'delivery',
              'data-status': m.delivery.status,
              text: DELIVERY.includes(m.delivery.status)
                ? t(`delivery_${m.delivery.status}` as Key)
                : m.delivery.status,
            })
          : null,
      ),
      h('p', { class: 'text', 'data-testid': 'history-text', text: m.text }),
      ...m.attachments.map((a) => attachmentLink(a, location.origin)),
      m.delivery.error ? h('p', { class: 'error', text: m.delivery.error }) : null,
      this.complaint.acceptedMark(m) ?? this.complaint.acceptAction(m),
    );
  }

  private renderHistory(open: OpenConversation): void {
    const { t } = this.v;
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 60;
    fill(
      this.log,
      ...open.messages.map((m) => this.message(m)),
      ...open.pending.map((p) =>
        h(
          'li',
          {
            class: `msg out pending${p.private ? ' note' : ''}`,
            'data-testid': 'history-message',
            'data-direction': 'out',
          },
          h(
            'div',
            { class: 'meta' },
            h('span', { class: 'tag', text: p.failed ? t('failed') : t('sending') }),
          ),
          h('p', { class: 'text', 'data-testid': 'history-text', text: p.text }),
          ...p.attachments.map((a) => h('span', { class: 'att', text: `📎 ${a.name}` })),
        ),
      ),
    );
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private buildComposer(): HTMLElement {
    const { t, live } = this.v;
    const mode = `mode-${Math.random().toString(36).slice(2)}`;
    const reply = h('input', {
      type: 'radio',
      name: mode,
      value: 'reply',
      checked: true,
      'data-testid': 'mode-reply',
    });
    const note = h('input', { type: 'radio', name: mode, value: 'note', 'data-testid': 'mode-note' });
    const text = h('textarea', {
      rows: 3,
      'aria-label': t('writeReply'),
      placeholder: t('writeReply'),
      'data-testid': 'reply-text',
    });
    const canned = new CannedPicker(this.v, text);
    const articles = new ArticleLinkPicker(this.v, text);
    const guard = new PhraseGuard(this.v, text);
    const sms = live.open?.conversation.channel === 'sms';
    const length = h('output', { class: 'sms-length', 'data-testid': 'sms-length' });
    const countSms = () => {
      const n = smsLength(note.checked ? '' : text.value.trim());
      length.textContent = t('smsLength', {
        chars: n.characters,
        segments: n.segments,
        encoding: n.encoding,
      });
    };
    let typingTimer: number | undefined;
    const setMode = () => {
      const isNote = note.checked;
      if (sms) countSms();
      text.placeholder = isNote ? t('writeNote') : t('writeReply');
      text.setAttribute('aria-label', text.placeholder);
      form.classList.toggle('note', isNote);
    };
    const files = new AttachmentPicker(this.v);
    const submit = (checked = false) => {
      const value = text.value.trim();
      if (!value && files.ready.length === 0) return;
      if (!checked && !note.checked && !guard.allows(value, () => submit(true))) return;
      live.send(value, note.checked, files.take());
      text.value = '';
      if (sms) countSms();
      window.clearTimeout(typingTimer);
      typingTimer = undefined;
      live.typing(false);
    };
    text.addEventListener('input', () => {
      if (sms) countSms();
      if (note.checked) return;
      if (typingTimer === undefined) live.typing(true);
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(() => {
        typingTimer = undefined;
        live.typing(false);
      }, 2000);
    });
    text.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        submit();
      }
    });
    const form = h(
      'form',
      { class: 'composer', 'data-testid': 'composer' },
      h(
        'fieldset',
        { class: 'mode' },
        h('legend', { class: 'sr', text: t('reply') }),
        h('label', {}, reply, ` ${t('reply')}`),
        h('label', {}, note, ` ${t('note')}`),
      ),
      text,
      canned.el,
      guard.el,
      articles.el,
      files.button,
      articles.button,
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'reply-send', text: t('send') }),
      files.el,
    );
    if (sms) {
      form.append(length);
      countSms();
    }
    reply.addEventListener('change', setMode);
    note.addEventListener('change', setMode);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit();
    });
    return form;
  }
}
