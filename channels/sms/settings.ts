/** Settings of an SMS inbox (one Twilio number or Messaging Service), validated when the inbox is saved. */
import { z } from 'zod';
import { toE164 } from './phone';

const sid = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix}… SID (34 characters)`);

export const smsSettings = z
  .object({
    /** The Twilio account (AC…) the number belongs to. */
    accountSid: sid('AC'),
    /** The account's auth token: signs Twilio's webhooks, and authenticates sends when no API key is set. */
    authToken: z.string().min(16).max(128),
    /** An API key (SK…) and its secret to send with instead of the auth token. */
    apiKeySid: sid('SK').optional(),
    apiKeySecret: z.string().min(16).max(128).optional(),
    /** The number messages are sent from, in E.164 (+14155550100). */
    from: z
      .string()
      .transform((v, c) => {
        const n = toE164(v);
        if (!n) c.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number in E.164' });
        return n ?? v;
      })
      .optional(),
    /** A Messaging Service (MG…) to send through instead of a single number. */
    messagingServiceSid: sid('MG').optional(),
    /** Public base URL Twilio reaches this gateway at; defaults to the gateway's PUBLIC_URL. */
    publicUrl: z.string().url().optional(),
    /** Messages per second this inbox may send (1 for a long code, more for toll-free or short codes). */
    sendRate: z.number().positive().max(1000).default(1),
  })
  .strict()
  .refine((s) => s.from !== undefined || s.messagingServiceSid !== undefined, {
    message: 'set the sending number (from) or a messagingServiceSid',
    path: ['from'],
  })
  .refine((s) => (s.apiKeySid === undefined) === (s.apiKeySecret === undefined), {
    message: 'set both apiKeySid and apiKeySecret, or neither',
    path: ['apiKeySecret'],
  });

export type SmsSettings = z.infer<typeof smsSettings>;

/** The base URL webhooks are signed against, without a trailing slash, or null when none is known. */
export function publicBase(settings: SmsSettings, gatewayUrl: string | undefined): string | null {
  const base = settings.publicUrl ?? gatewayUrl;
  return base ? base.replace(/\/+$/, '') : null;
}
