/**
 * Outbound SMS/MMS through Twilio's Messages API with the `twilio` SDK: one message per
 * call from the outbound queue, with a status callback so delivery reports come back.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import {
  PermanentSendError,
  RetryLaterError,
  type OutboundMessage,
  type SendResult,
} from '../../server/domain/channel';
import type { DeliveryStatus } from '../../server/domain/types';
import { sendFailure } from './errors';
import { toE164 } from './phone';
import type { SmsSettings } from './settings';

/** Twilio's limit for one message body. */
const MAX_BODY = 1600;
const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Twilio's message statuses in the product's delivery vocabulary; null for inbound-only ones. */
export function deliveryStatus(twilioStatus: string): DeliveryStatus | null {
  switch (twilioStatus) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'partially_delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

function retryAfterMs(headers: Response<unknown>['headers']): number {
  const raw = (headers as Record<string, unknown> | undefined)?.['retry-after'];
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(DEFAULT_RETRY_AFTER_MS, ms || 0));
}

/**
 * The SDK's HTTP client, wrapped so that a 429 becomes a RetryLaterError carrying
 * Twilio's Retry-After (the SDK's own error does not keep response headers).
 */
export function throttleAware(inner: RequestClient): RequestClient {
  class ThrottleAwareClient extends twilio.RequestClient {
    override async request<T>(opts: RequestClient.RequestOptions<T>): Promise<Response<T>> {
      const res = await inner.request<T>(opts);
      if (res.statusCode === 429)
        throw new RetryLaterError('Twilio asked to slow down (20429)', retryAfterMs(res.headers));
      return res;
    }
  }
  return new ThrottleAwareClient();
}

/** The customer's phone: the SMS identity, else the profile phone. */
function recipient(out: OutboundMessage): string {
  const identity = out.contact.identities.find((i) => i.channel === 'sms')?.address;
  const to = identity ?? (out.contact.phone ? toE164(out.contact.phone) : null);
  if (!to) throw new PermanentSendError('The customer has no phone number to text.');
  return to;
}

export async function sendSms(
  http: RequestClient,
  settings: SmsSettings,
  base: string | null,
  out: OutboundMessage,
): Promise<SendResult> {
  const to = recipient(out);
  const body = out.message.text;
  if (body.length > MAX_BODY)
    throw new PermanentSendError(`The message is longer than ${MAX_BODY} characters`, '21617');
  const mediaUrl = out.message.attachments.map((a) => {
    if (a.url && /^https?:\/\//.test(a.url)) return a.url;
    if (!a.url || !base)
      throw new PermanentSendError('Attachments need the public URL of the gateway to be sent as MMS.');
    return `${base}${a.url}`;
  });
  const client = settings.apiKeySid
    ? twilio(settings.apiKeySid, settings.apiKeySecret, { accountSid: settings.accountSid, httpClient: http })
    : twilio(settings.accountSid, settings.authToken, { httpClient: http });
  try {
    const sent = await client.messages.create({
      to,
      body,
      ...(settings.messagingServiceSid
        ? { messagingServiceSid: settings.messagingServiceSid }
        : { from: settings.from }),
      ...(mediaUrl.length > 0 ? { mediaUrl } : {}),
      ...(base ? { statusCallback: `${base}/channels/sms/${out.inbox.key}/status` } : {}),
    });
    return {
      providerId: sent.sid,
      status: deliveryStatus(sent.status) ?? 'queued',
      meta: { segments: Number(sent.numSegments) || null },
    };
  } catch (err) {
    if (err instanceof RetryLaterError) throw err;
    throw sendFailure(err);
  }
}
