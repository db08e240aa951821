/**
 * The form that starts a conversation with a contact: the inbox (its channel shown), a
 * subject for email, the first message with the SMS length counter on text inboxes.
 * Used by the contact panel ("New conversation") and by follow-ups ("Contact the customer").
 */
import { smsLength } from '../../../shared/sms-segments';
import { h } from '../../../ui/dom';
import type { InboxSummary, StartConversation } from '../api';
import type { ViewContext } from './context';

export type StartSubmit = (body: Omit<StartConversation, 'contactId'>) => Promise<void>;

export function startForm(v: ViewContext, inboxes: InboxSummary[], submit: StartSubmit): HTMLElement {
  const { t } = v;
  const inbox = h('select', { 'aria-label': t('inbox'), 'data-testid': 'start-inbox' });
  for (const i of inboxes.filter((x) => x.enabled))
    inbox.append(h('option', { value: i.id, text: `${i.name} (${i.channel})` }));
  const subject = h('input', {
    type: 'text',
    'aria-label': t('subject'),
    placeholder: t('subject'),
    'data-testid': 'start-subject',
  });
  const text = h('textarea', {
    rows: 3,
    'aria-label': t('message'),
    placeholder: t('message'),
    'data-testid': 'start-text',
  });
  const length = h('output', { class: 'sms-length', 'data-testid': 'start-sms-length' });
  const error = h('p', { class: 'error', 'data-testid': 'start-error' });
  const channel = () => inboxes.find((i) => i.id === inbox.value)?.channel;
  const update = () => {
    subject.hidden = channel() !== 'email';
    length.hidden = channel() !== 'sms';
    const n = smsLength(text.value.trim());
    length.textContent = t('smsLength', { chars: n.characters, segments: n.segments, encoding: n.encoding });
  };
  inbox.addEventListener('change', update);
  text.addEventListener('input', update);
  update();
  const form = h(
    'form',
    {
      class: 'start-conversation',
      'data-testid': 'start-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        error.textContent = '';
        const body = {
          inboxId: inbox.value,
          text: text.value.trim(),
          ...(channel() === 'email' ? { subject: subject.value.trim() } : {}),
        };
        if (!body.text) return;
        submit(body).catch((err: unknown) => {
          error.textContent = t('startRefused', {
            message: err instanceof Error ? err.message : String(err),
          });
        });
      },
    },
    inbox,
    subject,
    text,
    length,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'start-send', text: t('start') }),
    error,
  );
  return form;
}
