/**
 * A local stand-in for the parts of Twilio's REST API the messaging SDK uses (Messages
 * create and fetch, media downloads), answering with Twilio's documented resources and
 * error bodies, and for Twilio's side of the webhooks: signed inbound messages and
 * status callbacks. The real `twilio` SDK reaches it through `standinHttpClient`.
 * Listens on 127.0.0.1 only; used by the tests and local demos.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { smsLength } from '../../shared/sms-segments';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const API = '/2010-04-01';

export interface StandinMessage {
  sid: string;
  account_sid: string;
  messaging_service_sid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: string;
  direction: 'outbound-api';
  num_segments: string;
  num_media: string;
  error_code: number | null;
  error_message: string | null;
  price: string | null;
  price_unit: string;
  api_version: '2010-04-01';
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  uri: string;
  subresource_uris: { media: string; feedback: string };
}

/** One accepted Messages.create, as the stand-in saw it. */
export interface SendRecord {
  at: number;
  sid: string;
  to: string;
  from: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
}

interface Account {
  authToken: string;
  apiKeys: Map<string, string>;
}

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function twilioError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export class TwilioStandin {
  readonly messages = new Map<string, StandinMessage & { statusCallback: string | null }>();
  readonly sends: SendRecord[] = [];
  /** When each Messages.create request that passed authentication came, accepted or not, by To. */
  readonly attempts: { at: number; to: string }[] = [];
  /** Numbers that texted STOP: sends to them fail with 21610. */
  readonly optedOut = new Set<string>();
  private readonly accounts = new Map<string, Account>();
  private readonly media = new Map<string, { accountSid: string; data: Buffer; contentType: string }>();
  private readonly routes = new Map<string, string>();
  private throttled: { count: number; retryAfterS: number | null } = { count: 0, retryAfterS: null };
  private failing = 0;
  private server: Server | null = null;
  url = '';

  addAccount(accountSid: string, authToken: string): void {
    this.accounts.set(accountSid, { authToken, apiKeys: new Map() });
  }

  addApiKey(accountSid: string, keySid: string, secret: string): void {
    this.accounts.get(accountSid)?.apiKeys.set(keySid, secret);
  }

  /** Twilio reaches `publicBase` (a proxy or load balancer) which forwards to `localBase`. */
  route(publicBase: string, localBase: string): void {
    this.routes.set(publicBase.replace(/\/+$/, ''), localBase.replace(/\/+$/, ''));
  }

  /** The next `count` sends are refused with 429 / 20429, with Retry-After when given. */
  throttleNext(count: number, retryAfterS: number | null = null): void {
    this.throttled = { count, retryAfterS };
  }

  /** The next `count` sends fail with 503, as during a Twilio incident. */
  failNext(count: number): void {
    this.failing = count;
  }

  /** Stores a media file of an inbound MMS; returns its MediaUrl (Basic auth required). */
  putMedia(accountSid: string, data: Buffer, contentType: string): string {
    const path = `${API}/Accounts/${accountSid}/Messages/${sid('MM')}/Media/${sid('ME')}`;
    this.media.set(path, { accountSid, data, contentType });
    return `${this.url}${path}`;
  }

  async start(): Promise<string> {
    const app = express();
    app.use(express.urlencoded({ extended: false, limit: '1mb' }));
    app.post(`${API}/Accounts/:account/Messages.json`, (req, res) => this.create(req, res));
    app.get(`${API}/Accounts/:account/Messages/:sid.json`, (req, res) => {
      if (!this.authorized(req, res)) return;
      const m = this.messages.get(req.params.sid ?? '');
      if (!m || m.account_sid !== req.params.account) {
        twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
        return;
      }
      res.json(this.resource(m));
    });
    app.get(`${API}/Accounts/:account/Messages/:msg/Media/:media`, (req, res) => {
      if (!this.authorized(req, res)) return;
      const file = this.media.get(req.path);
      if (!file || file.accountSid !== req.params.account) {
        twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
        return;
      }
      res.type(file.contentType).send(file.data);
    });
    app.use((req, res) => twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`));
    this.server = createServer(app);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Basic auth with the account SID and auth token, or with an API key of that account. */
  private authorized(req: Request, res: Response): boolean {
    const account = this.accounts.get(req.params.account ?? '');
    const header = req.headers.authorization ?? '';
    const [user, pass] = Buffer.from(header.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    const ok =
      account !== undefined &&
      header.startsWith('Basic ') &&
      ((user === req.params.account && pass === account.authToken) ||
        (user !== undefined && account.apiKeys.get(user) === pass));
    if (!ok) twilioError(res, 401, 20003, 'Authenticate');
    return ok;
  }

  private create(req: Request, res: Response): void {
    if (!this.authorized(req, res)) return;
    const p = req.body as Record<string, string | string[] | undefined>;
    const one = (k: string) => (Array.isArray(p[k]) ? p[k][0] : p[k]);
    this.attempts.push({ at: Date.now(), to: one('To') ?? '' });
    if (this.failing > 0) {
      this.failing -= 1;
      twilioError(res, 503, 20500, 'Service Unavailable');
      return;
    }
    if (this.throttled.count > 0) {
      this.throttled.count -= 1;
      if (this.throttled.retryAfterS !== null)
        res.setHeader('Retry-After', String(this.throttled.retryAfterS));
      twilioError(res, 429, 20429, 'Too Many Requests');
      return;
    }
    const to = one('To');
    const from = one('From') ?? null;
    const service = one('MessagingServiceSid') ?? null;
    const body = one('Body') ?? '';
    const media = [p.MediaUrl ?? []].flat();
    if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!from && !service) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!body && media.length === 0) return twilioError(res, 400, 21602, 'Message body is required.');
    const number = parsePhoneNumberFromString(to);
    if (!to.startsWith('+') || !number?.isValid() || number.number !== to)
      return twilioError(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (this.optedOut.has(to))
      return twilioError(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
    const now = new Date();
    const account = req.params.account!;
    const messageSid = sid('SM');
    const uri = `${API}/Accounts/${account}/Messages/${messageSid}.json`;
    const m = {
      sid: messageSid,
      account_sid: account,
      messaging_service_sid: service,
      from,
      to,
      body,
      status: service ? 'accepted' : 'queued',
      direction: 'outbound-api' as const,
      num_segments: String(Math.max(1, smsLength(body).segments)),
      num_media: String(media.length),
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      api_version: '2010-04-01' as const,
      date_created: rfc2822(now),
      date_updated: rfc2822(now),
      date_sent: null,
      uri,
      subresource_uris: {
        media: uri.replace('.json', '/Media.json'),
        feedback: uri.replace('.json', '/Feedback.json'),
      },
      statusCallback: one('StatusCallback') ?? null,
    };
    this.messages.set(messageSid, m);
    this.sends.push({
      at: Date.now(),
      sid: messageSid,
      to,
      from,
      body,
      mediaUrls: media,
      statusCallback: m.statusCallback,
    });
    res.status(201).json(this.resource(m));
  }

  private resource(m: StandinMessage & { statusCallback: string | null }): StandinMessage {
    const { statusCallback: _omit, ...resource } = m;
    return resource;
  }

  /** Where a request to `url` really goes: through a configured route, else unchanged. */
  private delivered(url: string): string {
    for (const [pub, local] of this.routes)
      if (url.startsWith(`${pub}/`)) return local + url.slice(pub.length);
    return url;
  }

  /**
   * Posts a webhook as Twilio does: form-encoded, signed with the account's auth token
   * over the URL as configured (`url`), delivered through the routes.
   */
  async postWebhook(
    url: string,
    params: Record<string, string>,
    authToken: string,
    opts: { signature?: string | null } = {},
  ): Promise<{ status: number; type: string | null; body: string }> {
    const signature =
      opts.signature === undefined
        ? twilio.getExpectedTwilioSignature(authToken, url, params)
        : opts.signature;
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
    };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const res = await fetch(this.delivered(url), {
      method: 'POST',
      headers,
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  /** Reports a new status of a sent message to its statusCallback, as Twilio does. */
  async fireStatus(
    messageSid: string,
    status: string,
    errorCode: number | null = null,
  ): Promise<{ status: number; body: string }> {
    const m = this.messages.get(messageSid);
    if (!m?.statusCallback) throw new Error(`message ${messageSid} has no status callback`);
    const account = this.accounts.get(m.account_sid);
    if (!account) throw new Error(`unknown account ${m.account_sid}`);
    m.status = status;
    m.error_code = errorCode;
    m.date_updated = rfc2822(new Date());
    const params: Record<string, string> = {
      AccountSid: m.account_sid,
      ApiVersion: '2010-04-01',
      MessageSid: m.sid,
      MessageStatus: status,
      SmsSid: m.sid,
      SmsStatus: status,
      To: m.to,
      ...(m.from ? { From: m.from } : {}),
      ...(m.messaging_service_sid ? { MessagingServiceSid: m.messaging_service_sid } : {}),
      ...(errorCode !== null ? { ErrorCode: String(errorCode) } : {}),
    };
    return this.postWebhook(m.statusCallback, params, account.authToken);
  }
}

/** The parameters of Twilio's incoming-message webhook, as documented, for one SMS or MMS. */
export function inboundParams(m: {
  accountSid: string;
  from: string;
  to: string;
  body: string;
  messageSid?: string;
  media?: { url: string; contentType: string }[];
  extra?: Record<string, string>;
}): Record<string, string> {
  const messageSid = m.messageSid ?? sid(m.media?.length ? 'MM' : 'SM');
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: messageSid,
    NumMedia: String(m.media?.length ?? 0),
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: messageSid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: m.body,
    FromCountry: 'US',
    To: m.to,
    ToZip: '94105',
    NumSegments: String(Math.max(1, smsLength(m.body).segments)),
    MessageSid: messageSid,
    AccountSid: m.accountSid,
    From: m.from,
    ApiVersion: '2010-04-01',
    ...m.extra,
  };
  (m.media ?? []).forEach((file, i) => {
    params[`MediaContentType${i}`] = file.contentType;
    params[`MediaUrl${i}`] = file.url;
  });
  return params;
}

/** The SDK's own HTTP client, sending what it addresses to api.twilio.com to the stand-in instead. */
export function standinHttpClient(standin: TwilioStandin): twilio.RequestClient {
  class StandinClient extends twilio.RequestClient {
    override request<T>(opts: RequestClient.RequestOptions<T>) {
      const uri = opts.uri.replace(/^https:\/\/api\.twilio\.com/, standin.url);
      return super.request<T>({ ...opts, uri });
    }
  }
  return new StandinClient({ keepAlive: false });
}
