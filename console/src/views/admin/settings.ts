/**
 * The channel settings part of the inbox form, one field list per channel. Secrets are
 * write-only: the form never holds a stored secret, an empty secret field keeps it.
 */
import { h } from '../../../../ui/dom';
import type { Key, Translate } from '../../i18n';
import type { Json } from './client';
import { checkbox, input, select, words, type AdminForm } from './form';

type Kind = 'text' | 'secret' | 'number' | 'bool' | 'list' | 'url' | { options: string[] };
interface Spec {
  path: string;
  label: Key;
  kind: Kind;
  hint?: Key;
  required?: boolean;
  /** A pattern the value must match (client-side hint of the server's rule). */
  pattern?: RegExp;
  placeholder?: string;
}

const SET = '[set]';
const server = (p: 'imap' | 'smtp', port: string): Spec[] => [
  { path: `${p}.host`, label: 'adminHost', kind: 'text', required: true, placeholder: `${p}.example.com` },
  { path: `${p}.port`, label: 'adminPort', kind: 'number', placeholder: port },
  { path: `${p}.security`, label: 'adminSecurity', kind: { options: ['tls', 'starttls', 'none'] } },
  { path: `${p}.user`, label: 'adminUser', kind: 'text', required: true },
  { path: `${p}.password`, label: 'password', kind: 'secret', required: true },
];

export const CHANNEL_SETTINGS: Record<string, Spec[]> = {
  webchat: [
    { path: 'welcome', label: 'adminWelcome', kind: 'text' },
    {
      path: 'replyExpectation',
      label: 'adminReplyExpectation',
      kind: 'text',
      hint: 'adminReplyExpectationHint',
    },
    { path: 'allowedOrigins', label: 'adminAllowedOrigins', kind: 'list', hint: 'adminAllowedOriginsHint' },
    { path: 'preChat.enabled', label: 'adminPreChat', kind: 'bool' },
    { path: 'preChat.requireEmail', label: 'adminRequireEmail', kind: 'bool' },
    { path: 'preChat.categories', label: 'adminPreChatCategories', kind: 'list', hint: 'adminListHint' },
  ],
  email: [
    {
      path: 'fromAddress',
      label: 'adminFromAddress',
      kind: 'text',
      required: true,
      pattern: /^[^@\s]+@[^@\s]+$/,
    },
    { path: 'fromName', label: 'adminFromName', kind: 'text' },
    ...server('imap', '993'),
    ...server('smtp', '465'),
  ],
  sms: [
    {
      path: 'accountSid',
      label: 'adminAccountSid',
      kind: 'text',
      required: true,
      pattern: /^AC[0-9a-f]{32}$/i,
      hint: 'adminSidHint',
    },
    { path: 'authToken', label: 'adminAuthToken', kind: 'secret', required: true },
    {
      path: 'from',
      label: 'adminFromNumber',
      kind: 'text',
      pattern: /^\+?[0-9 ()-]{6,20}$/,
      hint: 'adminFromNumberHint',
      placeholder: '+14155550100',
    },
    {
      path: 'messagingServiceSid',
      label: 'adminMessagingService',
      kind: 'text',
      pattern: /^MG[0-9a-f]{32}$/i,
    },
    { path: 'apiKeySid', label: 'adminApiKeySid', kind: 'text', pattern: /^SK[0-9a-f]{32}$/i },
    { path: 'apiKeySecret', label: 'adminApiKeySecret', kind: 'secret' },
    { path: 'publicUrl', label: 'adminPublicUrl', kind: 'url', hint: 'adminPublicUrlHint' },
    { path: 'sendRate', label: 'adminSendRate', kind: 'number', hint: 'adminSendRateHint' },
  ],
  telegram: [
    {
      path: 'botToken',
      label: 'adminBotToken',
      kind: 'secret',
      required: true,
      pattern: /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/,
      hint: 'adminBotTokenHint',
    },
    { path: 'mode', label: 'adminMode', kind: { options: ['polling', 'webhook'] }, hint: 'adminModeHint' },
    { path: 'publicUrl', label: 'adminPublicUrl', kind: 'url', hint: 'adminPublicUrlHint' },
  ],
};

const get = (o: Json, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);

function put(o: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Json;
  at[keys[keys.length - 1]!] = value;
}

/** The settings fields of one channel on `form`; `read()` gives the settings object to send. */
export function settingsFields(t: Translate, form: AdminForm, channel: string, stored: Json | null) {
  const specs = CHANNEL_SETTINGS[channel] ?? [];
  const reads: (() => void)[] = [];
  const out: Json = {};
  const els = specs.map((s) => {
    const path = `settings.${s.path}`;
    const now = stored ? get(stored, s.path) : undefined;
    if (s.kind === 'bool') {
      const c = checkbox(now === true);
      reads.push(() => put(out, s.path, c.checked));
      return form.field(path, s.label, c, s.hint);
    }
    if (typeof s.kind === 'object') {
      const sel = select(
        s.kind.options.map((o) => [o, o]),
        typeof now === 'string' ? now : null,
      );
      reads.push(() => put(out, s.path, sel.value));
      return form.field(path, s.label, sel, s.hint);
    }
    const secretSet = s.kind === 'secret' && now === SET;
    const control = input({
      type:
        s.kind === 'secret' ? 'password' : s.kind === 'number' ? 'number' : s.kind === 'url' ? 'url' : 'text',
      autocomplete: s.kind === 'secret' ? 'new-password' : 'off',
      placeholder: secretSet ? t('adminSecretKept') : (s.placeholder ?? ''),
    });
    if (s.kind !== 'secret' && now !== undefined && now !== null)
      control.value = Array.isArray(now) ? now.join(', ') : String(now);
    reads.push(() => {
      const v = control.value.trim();
      if (s.kind === 'secret') {
        if (v) put(out, s.path, v);
        else if (secretSet) put(out, s.path, SET);
      } else if (s.kind === 'list') put(out, s.path, words(v));
      else if (!v) return;
      else put(out, s.path, s.kind === 'number' ? Number(v) : v);
    });
    const check = () => {
      const v = control.value.trim();
      if (!v) return s.required && !secretSet ? t('adminRequired') : null;
      if (s.pattern && !s.pattern.test(v)) return t('adminBadFormat');
      if (s.kind === 'url' && !/^https?:\/\/\S+$/.test(v)) return t('adminBadUrl');
      if (s.kind === 'number' && !Number.isFinite(Number(v))) return t('adminBadNumber');
      return null;
    };
    return form.field(path, s.label, control, secretSet ? 'adminSecretHint' : s.hint, check);
  });
  return {
    el: h('fieldset', { class: 'admin-settings' }, h('legend', { text: t('adminSettings') }), ...els),
    read(): Json {
      for (const k of Object.keys(out)) delete out[k];
      for (const r of reads) r();
      return out;
    },
  };
}
