/**
 * What the API shows of an inbox: its fields with every channel secret redacted, its
 * health as the channel last reported it, and the addresses an admin pastes elsewhere
 * (the widget snippet, the Twilio and Telegram webhook URLs).
 */
import type { Channel } from '../domain/channel';
import type { InboxDoc } from '../domain/inbox';

const SECRET_KEY = /token|secret|password|pass$|apiKey/i;
export const REDACTED = '[set]';

/** A settings value that is a secret: a non-empty text under a secret-sounding key (booleans such as `replyToken` are not). */
const isSecret = (k: string, v: unknown) => SECRET_KEY.test(k) && typeof v === 'string' && v !== '';
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Settings with every secret value replaced by a marker, at any depth. */
export function redact(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings ?? {})) {
    if (isSecret(k, v)) out[k] = REDACTED;
    else if (isObject(v)) out[k] = redact(v);
    else out[k] = v;
  }
  return out;
}

/** New settings where a secret sent back as the marker keeps its stored value. */
export function keepSecrets(
  next: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    const old = stored?.[k];
    if (v === REDACTED && SECRET_KEY.test(k)) out[k] = old;
    else if (isObject(v) && isObject(old)) out[k] = keepSecrets(v, old);
    else out[k] = v;
  }
  return out;
}

/** The names of the settings that hold a value, secrets named but never shown (for the audit log). */
export function settingNames(settings: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(settings ?? {}).flatMap(([k, v]) =>
    isObject(v) ? settingNames(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const trimmed = (u: string) => u.replace(/\/+$/, '');

/** The URLs this inbox is reached at from outside, on the inbox's own public URL or the gateway's. */
export function endpointsOf(i: InboxDoc, gatewayUrl: string): Record<string, string> {
  const own = typeof i.settings?.publicUrl === 'string' ? i.settings.publicUrl : null;
  const base = trimmed(own ?? gatewayUrl);
  const key = encodeURIComponent(i.key);
  switch (i.channel) {
    case 'webchat':
      return {
        widgetScript: `${trimmed(gatewayUrl)}/widget.js`,
        snippet: `<script src="${trimmed(gatewayUrl)}/widget.js" data-inbox="${i.key}" async></script>`,
      };
    case 'sms':
      return {
        smsInbound: `${base}/channels/sms/${key}/inbound`,
        smsStatus: `${base}/channels/sms/${key}/status`,
      };
    case 'telegram':
      return { telegramWebhook: `${base}/channels/telegram/${key}/webhook` };
    default:
      return {};
  }
}

export function inboxView(i: InboxDoc, channel: Channel | undefined, gatewayUrl: string) {
  return {
    id: String(i._id),
    name: i.name,
    channel: i.channel,
    key: i.key,
    teamId: i.teamId ? String(i.teamId) : null,
    calendarId: i.calendarId ? String(i.calendarId) : null,
    secondLineTeamId: i.secondLineTeamId ? String(i.secondLineTeamId) : null,
    locale: i.locale ?? 'en',
    outOfHoursReply: i.outOfHoursReply !== false,
    sla: i.sla,
    csat: { enabled: i.csat?.enabled ?? null },
    enabled: i.enabled,
    archivedAt: i.archivedAt ? new Date(i.archivedAt).toISOString() : null,
    state: i.state,
    settings: redact(i.settings),
    configured: channel !== undefined,
    endpoints: endpointsOf(i, gatewayUrl),
  };
}
