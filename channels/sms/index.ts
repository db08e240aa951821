/**
 * The SMS channel: customers text a Twilio number. Twilio's signed webhooks bring
 * messages and delivery reports in (webhooks.ts); agent replies leave through the
 * `twilio` SDK at the inbox's send rate (sender.ts).
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { Channel, ChannelContext, OutboundMessage, SendResult } from '../../server/domain/channel';
import type { InboxDoc } from '../../server/domain/inbox';
import { sendSms, throttleAware } from './sender';
import { publicBase, smsSettings } from './settings';
import { smsWebhooks } from './webhooks';

export interface SmsChannelOptions {
  /** The HTTP client the Twilio SDK uses; the SDK's own (to api.twilio.com) by default. */
  httpClient?: RequestClient;
}

export function createSmsChannel(options: SmsChannelOptions = {}): Channel {
  let ctx: ChannelContext | null = null;
  const need = () => {
    if (!ctx) throw new Error('SMS channel used before init');
    return ctx;
  };
  const http = throttleAware(options.httpClient ?? new twilio.RequestClient({ timeout: 15_000 }));

  return {
    kind: 'sms',
    settingsSchema: smsSettings,
    router: smsWebhooks(need),
    sendRate(inbox: InboxDoc) {
      const parsed = smsSettings.safeParse(inbox.settings ?? {});
      const perSecond = parsed.success ? parsed.data.sendRate : 1;
      // One message at a time, evenly spaced: carriers filter bursts from long codes.
      return { max: 1, durationMs: Math.max(1, Math.round(1000 / perSecond)) };
    },
    async init(c) {
      ctx = c;
    },
    async startInbox(inbox: InboxDoc) {
      const c = need();
      const settings = smsSettings.parse(inbox.settings ?? {});
      if (!publicBase(settings, c.publicUrl))
        throw new Error(
          'Set the inbox publicUrl (or the gateway PUBLIC_URL): Twilio must reach the webhooks.',
        );
      await c.reportInboxState(String(inbox._id), 'ok', null);
    },
    async stopInbox() {},
    async send(out: OutboundMessage): Promise<SendResult> {
      const settings = smsSettings.parse(out.inbox.settings ?? {});
      return sendSms(http, settings, publicBase(settings, need().publicUrl), out);
    },
    async close() {},
  };
}
