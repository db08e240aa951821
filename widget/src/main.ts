/**
 * Entry point of widget.js, bundled as one IIFE so the host page gains no globals:
 * `<script src="https://HOST/widget.js" data-inbox="KEY" data-locale="en" async></script>`.
 */
import { pickLocale } from '../../ui/locale';
import { translator } from './i18n';
import { SessionStore } from './session';
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
  });
  widget.start().catch((err: unknown) => console.error('Switchboard widget could not start:', err));
}

const script = ownScript();
if (script) {
  if (document.body) mount(script);
  else document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
}
