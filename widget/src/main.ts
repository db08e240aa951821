/**
 * Entry point of widget.js, bundled as one IIFE so the host page gains no globals:
 * `<script src="https://HOST/widget.js" data-inbox="KEY" data-locale="en" async></script>`.
 * A site that signs its users adds `data-user-id` and `data-user-hash` (and optionally
 * `data-user-name`, `data-user-email`), or dispatches `switchboard:identify` on `document`
 * with `{ userId, userHash, name?, email? }` as the detail (`null` signs the user out).
 */
import { pickLocale } from '../../ui/locale';
import { translator } from './i18n';
import { SessionStore, signedIdentity } from './session';
import { Widget } from './widget';

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.inbox) return current;
  return document.querySelector<HTMLScriptElement>('script[data-inbox][src*="widget.js"]');
}

function mount(script: HTMLScriptElement): void {
  const inboxKey = script.dataset.inbox;
  if (!inboxKey) return;
  const origin = new URL(script.src, location.href).origin;
  const locale = pickLocale(script.dataset.locale, navigator.languages ?? [navigator.language]);
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  const host = document.createElement('div');
  host.setAttribute('data-switchboard-widget', '');
  host.lang = locale;
  document.body.appendChild(host);
  const widget = new Widget(host.attachShadow({ mode: 'open' }), {
    origin,
    inboxKey,
    locale,
    t: translator(locale),
    store: new SessionStore(inboxKey, storage),
    identity: signedIdentity(script.dataset),
  });
  document.addEventListener('switchboard:identify', (ev) => {
    const detail = (ev as CustomEvent<unknown>).detail;
    const identity =
      detail && typeof detail === 'object' ? signedIdentity(detail as Record<string, unknown>) : null;
    widget
      .identify(identity)
      .catch((err: unknown) => console.error('Switchboard widget could not sign in:', err));
  });
  widget.start().catch((err: unknown) => console.error('Switchboard widget could not start:', err));
}

const script = ownScript();
if (script) {
  if (document.body) mount(script);
  else document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
}
