/** Entry point of the agent console: sign in, then the live console; the session is kept per tab. */
import type { AgentView } from '../../shared/protocol';
import { fill } from '../../ui/dom';
import type { Locale } from '../../ui/locale';
import { api } from './api';
import { initialLocale, saveLocale, translator } from './i18n';
import { loginView } from './views/login';
import { shell, type ShellPlace } from './views/shell';

const SESSION = 'switchboard:console:session';
const root = document.getElementById('app') ?? document.body;
let locale: Locale = initialLocale();
let teardown: (() => void) | null = null;

function saved(): { token: string; agent: AgentView } | null {
  try {
    const raw = sessionStorage.getItem(SESSION);
    return raw ? (JSON.parse(raw) as { token: string; agent: AgentView }) : null;
  } catch {
    return null;
  }
}

function showLogin(): void {
  teardown?.();
  teardown = null;
  sessionStorage.removeItem(SESSION);
  fill(
    root,
    loginView(translator(locale), (token, agent) => showConsole(token, agent)),
  );
}

function showConsole(token: string, agent: AgentView, place?: ShellPlace): void {
  sessionStorage.setItem(SESSION, JSON.stringify({ token, agent }));
  teardown?.();
  document.documentElement.lang = locale;
  teardown = shell(root, {
    token,
    agent,
    t: translator(locale),
    locale,
    place,
    setLocale(l, at) {
      locale = l;
      saveLocale(l);
      showConsole(token, agent, at);
    },
    signOut: showLogin,
  });
}

document.documentElement.lang = locale;
const session = saved();
if (!session) showLogin();
else
  api(session.token)
    .me()
    .then(({ agent }) => showConsole(session.token, agent))
    .catch(() => showLogin());
