/**
 * Twilio's answers mapped to what the outbound queue understands: a 429 is retried after
 * the wait Twilio asks for, a 5xx or a network failure with backoff, and a 4xx is
 * permanent, shown on the message with Twilio's error code. Delivery reports' error
 * codes get the same words.
 */
import { PermanentSendError } from '../../server/domain/channel';

/** Twilio error codes agents meet, in words they can act on (twilio.com/docs/api/errors). */
const DESCRIPTIONS: Record<string, string> = {
  '20003': 'Twilio rejected the inbox credentials',
  '20404': 'Twilio does not know this resource',
  '21211': 'The number is not a valid phone number',
  '21212': 'The sending number is not valid',
  '21266': 'The customer number is the sending number',
  '21408': 'Sending to this country is not enabled on the Twilio account',
  '21602': 'The message has no text and no media',
  '21606': 'The sending number cannot send SMS to this destination',
  '21608': 'A trial account can only send to verified numbers',
  '21610': 'The customer opted out of SMS (replied STOP)',
  '21612': 'Twilio cannot route between these two numbers',
  '21614': 'The number is not a mobile number',
  '21617': 'The message is longer than 1600 characters',
  '21620': 'A media URL could not be used',
  '30003': 'The handset is unreachable (off or out of coverage)',
  '30004': 'The message was blocked by the carrier or the customer',
  '30005': 'The number is unknown or no longer in service',
  '30006': 'The number is a landline or its carrier cannot receive SMS',
  '30007': 'The carrier filtered the message as spam',
  '30008': 'The carrier reported an unknown error',
  '30034': 'The sending number is not registered for A2P 10DLC',
};

/** Codes after which the customer cannot be reached on SMS at all until they opt back in. */
const UNREACHABLE = new Set(['21610']);

/** What a Twilio error code means, in words; Twilio's own message when the code is not listed. */
function words(code: string, fallback?: string | null): string {
  return DESCRIPTIONS[code] ?? (fallback?.trim() || 'Twilio reported an error');
}

/** Words and code, as shown on a message: "The number is not a mobile number (21614)". */
export function describeTwilioError(code: string, fallback?: string | null): string {
  return `${words(code, fallback)} (${code})`;
}

/** The shape of the SDK's RestException (the API answered with an error status). */
interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

function isRestError(err: unknown): err is TwilioRestError {
  return (
    err instanceof Error &&
    err.name !== 'AxiosError' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

/**
 * Turns a failed Messages.create into the queue's terms. Network errors are rewrapped so
 * that no request (with its Authorization header) is ever logged.
 */
export function sendFailure(err: unknown): Error {
  if (err instanceof PermanentSendError) return err;
  if (!isRestError(err)) {
    const code = (err as { code?: unknown }).code;
    return new Error(`Twilio could not be reached${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (err.status >= 500) return new Error(`Twilio answered ${err.status}; the send will be retried`);
  const code = err.code === undefined ? null : String(err.code);
  // The queue shows the reason followed by the code.
  const reason = code ? words(code, err.message) : err.message;
  return new PermanentSendError(reason, code, code !== null && UNREACHABLE.has(code));
}

export function isUnreachableCode(code: string): boolean {
  return UNREACHABLE.has(code);
}
