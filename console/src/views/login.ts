/** The sign-in form. */
import type { AgentView } from '../../../shared/protocol';
import { h } from '../../../ui/dom';
import { ApiError, login } from '../api';
import { askPermission } from '../alerting';
import type { Translate } from '../i18n';

export function loginView(t: Translate, done: (token: string, agent: AgentView) => void): HTMLElement {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    'data-testid': 'login-email',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'login-password',
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' });
  const button = h('button', {
    type: 'submit',
    class: 'primary',
    'data-testid': 'login-submit',
    text: t('signIn'),
  });
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('div', { class: 'brand', 'aria-hidden': 'true', text: 'S' }),
    h('h1', { id: 'login-title', text: t('signInTitle') }),
    h('p', { class: 'hint', text: t('signInHint') }),
    h('label', {}, h('span', { text: t('email') }), email),
    h('label', {}, h('span', { text: t('password') }), password),
    error,
    button,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    askPermission();
    button.disabled = true;
    login(email.value.trim(), password.value)
      .then((r) => done(r.token, r.agent))
      .catch((err: unknown) => {
        error.textContent =
          err instanceof ApiError && err.code === 'too_many_attempts'
            ? t('loginLocked')
            : err instanceof ApiError && err.status !== 401
              ? t('error', { message: err.message })
              : t('loginFailed');
        button.disabled = false;
      });
  });
  return form;
}
