/**
 * The pre-chat form (name, email, and the topic when the inbox offers a choice) and the
 * offline form (the same and a message, with the opening hours while closed) shown before chatting.
 */
import { h } from '../../ui/dom';
import type { Translate } from './i18n';

export interface IntroValues {
  name: string;
  email: string;
  message: string;
  /** The category key picked, or '' for none. */
  category: string;
}

export interface TopicChoice {
  key: string;
  label: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function introForm(
  t: Translate,
  kind: 'prechat' | 'offline',
  opts: {
    requireEmail: boolean;
    expectation: string | null;
    topics: TopicChoice[];
    /** While the inbox is closed: its hours and next opening, shown instead of "no agent online". */
    closed?: HTMLElement | null;
  },
  submit: (v: IntroValues) => Promise<void>,
): HTMLFormElement {
  const needEmail = kind === 'offline' || opts.requireEmail;
  const field = (label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) =>
    h('label', {}, h('span', { text: label }), input);
  const name = h('input', {
    name: 'name',
    autocomplete: 'name',
    required: true,
    'data-testid': 'intro-name',
  });
  const email = h('input', {
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    required: needEmail,
    'data-testid': 'intro-email',
  });
  const topic = h(
    'select',
    { name: 'category', 'data-testid': 'intro-category' },
    h('option', { value: '', text: t('topicAny') }),
    ...opts.topics.map((c) => h('option', { value: c.key, text: c.label })),
  );
  const message = h('textarea', { name: 'message', rows: 4, required: true, 'data-testid': 'intro-message' });
  const error = h('p', { class: 'hint error', role: 'alert' });
  const button = h('button', {
    class: 'send',
    type: 'submit',
    'data-testid': 'intro-submit',
    text: kind === 'offline' ? t('leaveMessage') : t('start'),
  });

  const form = h(
    'form',
    { class: 'intro', 'data-testid': kind === 'offline' ? 'offline-form' : 'prechat-form', novalidate: true },
    opts.closed ?? null,
    h('p', {
      text: opts.closed ? t('closedIntro') : kind === 'offline' ? t('offlineIntro') : t('preChatIntro'),
    }),
    kind === 'offline' && opts.expectation ? h('p', { text: opts.expectation }) : null,
    field(t('name'), name),
    field(needEmail ? t('email') : t('emailOptional'), email),
    opts.topics.length > 0 ? field(t('topic'), topic) : null,
    kind === 'offline' ? field(t('message'), message) : null,
    error,
    button,
  );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = {
      name: name.value.trim(),
      email: email.value.trim(),
      message: message.value.trim(),
      category: topic.value,
    };
    const missing =
      (!v.name && name) || (needEmail && !v.email && email) || (kind === 'offline' && !v.message && message);
    if (missing) {
      error.textContent = t('required');
      missing.focus();
      return;
    }
    if (v.email && !EMAIL.test(v.email)) {
      error.textContent = t('badEmail');
      email.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    submit(v).catch(() => {
      error.textContent = t('error');
      button.disabled = false;
    });
  });
  return form;
}
