/**
 * Twilio's webhooks for an SMS inbox, mounted under /channels/sms: incoming messages at
 * /<inboxKey>/inbound and delivery reports at /<inboxKey>/status. Every request must
 * carry a valid X-Twilio-Signature computed over the inbox's public URL; Twilio gets its
 * 200 only once the message is stored, and a 5xx when it could not be.
 */
import express, { type Request, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { ChannelContext } from '../../server/domain/channel';
import { DomainError, Overloaded } from '../../server/domain/errors';
import type { InboxDoc } from '../../server/domain/inbox';
import type { MessageDoc } from '../../server/domain/message';
import { describeTwilioError, isUnreachableCode } from './errors';
import { IncomingSms, keywordOf, toInboundMessage } from './inbound';
import { deliveryStatus } from './sender';
import { publicBase, smsSettings, type SmsSettings } from './settings';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
/** Twilio waits 15 s for an answer; media fetching stops in time to store and reply. */
const MEDIA_BUDGET_MS = 8_000;
/** A delivery report may overtake the send's own bookkeeping: wait this long for it. */
const REPORT_WAIT_MS = 3_000;

const StatusReport = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID'),
    MessageStatus: z.string().min(1).max(32),
    ErrorCode: z
      .string()
      .regex(/^\d{1,6}$/)
      .optional(),
    ErrorMessage: z.string().max(500).optional(),
    To: z.string().max(64).optional(),
  })
  .passthrough();

class WebhookRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRefused';
  }
}

interface Verified {
  inbox: InboxDoc;
  settings: SmsSettings;
  params: Record<string, unknown>;
}

export function smsWebhooks(need: () => ChannelContext): express.Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 300 }));

  /** The inbox named in the path, and the request proven to come from its Twilio account. */
  async function verify(req: Request): Promise<Verified> {
    const ctx = need();
    const inbox = await ctx.models.Inbox.findOne({
      key: req.params.inboxKey,
      channel: 'sms',
      enabled: true,
    }).lean<InboxDoc>();
    if (!inbox) throw new WebhookRefused(404, 'No SMS inbox at this address.');
    const parsed = smsSettings.safeParse(inbox.settings ?? {});
    const base = parsed.success ? publicBase(parsed.data, ctx.publicUrl) : null;
    if (!parsed.success || !base) {
      ctx.logger.error({ inboxId: String(inbox._id) }, 'SMS inbox settings incomplete; webhook refused');
      throw new WebhookRefused(500, 'This SMS inbox is not configured.');
    }
    const signature = req.header('x-twilio-signature');
    const params = (req.body ?? {}) as Record<string, unknown>;
    // Twilio signs the URL it was given: the public base, not whatever Host reached us.
    const url = `${base}${req.originalUrl}`;
    if (!signature || !twilio.validateRequest(parsed.data.authToken, signature, url, params)) {
      ctx.logger.warn(
        { inboxId: String(inbox._id), signed: Boolean(signature) },
        'SMS webhook signature refused',
      );
      throw new WebhookRefused(403, 'The request is not signed by this inbox’s Twilio account.');
    }
    return { inbox, settings: parsed.data, params };
  }

  const handle =
    (what: string, run: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
      run(req, res).catch((err: unknown) => {
        const ctx = need();
        if (err instanceof Overloaded) {
          // Not stored, and not an error of ours: Twilio retries the webhook later.
          res.set('Retry-After', String(Math.ceil(Number(err.details.retryAfterMs) / 1000)));
          res.status(503).type('text/plain').send(err.message);
        } else if (err instanceof WebhookRefused) {
          res.status(err.status).type('text/plain').send(err.message);
        } else if (err instanceof DomainError && err.status < 500) {
          res.status(err.status).type('text/plain').send(err.message);
        } else {
          // Not stored: a 5xx, so that Twilio's retry can bring it again.
          ctx.logger.error({ err, inboxKey: req.params.inboxKey }, `SMS ${what} failed`);
          res.status(503).type('text/plain').send('Not stored; try again.');
        }
      });
    };

  router.post(
    '/:inboxKey/inbound',
    handle('incoming message', async (req, res) => {
      const ctx = need();
      const started = Date.now();
      const { inbox, settings, params } = await verify(req);
      const msg = IncomingSms.safeParse(params);
      if (!msg.success) {
        const reason = msg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new WebhookRefused(400, `Not an incoming message: ${reason}`);
      }
      if (msg.data.AccountSid !== settings.accountSid)
        throw new WebhookRefused(400, 'The message is for another Twilio account.');
      const inboxId = String(inbox._id);
      const inbound = await toInboundMessage(ctx, inboxId, settings, msg.data, started + MEDIA_BUDGET_MS);
      const stored = await ctx.ingest(inbound);
      const keyword = keywordOf(msg.data);
      // Repeated on a retried duplicate too, so an opt-out stored before a failure still applies.
      if (keyword === 'stop')
        await ctx.setReachability(
          stored.contactId,
          'sms',
          false,
          `The customer texted ${msg.data.Body.trim() || 'STOP'}`,
        );
      else if (keyword === 'start')
        await ctx.setReachability(
          stored.contactId,
          'sms',
          true,
          `The customer texted ${msg.data.Body.trim() || 'START'}`,
        );
      res.status(200).type('text/xml').send(EMPTY_TWIML);
    }),
  );

  router.post(
    '/:inboxKey/status',
    handle('delivery report', async (req, res) => {
      const ctx = need();
      const { inbox, params } = await verify(req);
      const report = StatusReport.safeParse(params);
      if (!report.success) throw new WebhookRefused(400, 'Not a message status report.');
      const { MessageSid: sid, MessageStatus, ErrorCode, ErrorMessage } = report.data;
      const status = deliveryStatus(MessageStatus);
      const inboxId = String(inbox._id);
      const message = status ? await reported(ctx, inboxId, sid) : null;
      if (status && !message) ctx.logger.warn({ inboxId, sid }, 'delivery report for an unknown message');
      if (status && message) {
        const failed = status === 'failed' || status === 'undelivered';
        const error = failed && ErrorCode ? describeTwilioError(ErrorCode, ErrorMessage) : null;
        await ctx.updateDelivery(inboxId, sid, status, error);
        if (failed && ErrorCode && isUnreachableCode(ErrorCode)) {
          const conv = await ctx.models.Conversation.findById(message.conversationId, {
            contactId: 1,
          }).lean();
          if (conv)
            await ctx.setReachability(String(conv.contactId), 'sms', false, describeTwilioError(ErrorCode));
        }
      }
      res.status(200).type('text/xml').send(EMPTY_TWIML);
    }),
  );

  return router;
}

/** The sent message a report is about; waits briefly in case the report beat the send's own write. */
async function reported(ctx: ChannelContext, inboxId: string, sid: string): Promise<MessageDoc | null> {
  const deadline = Date.now() + REPORT_WAIT_MS;
  for (;;) {
    const m = await ctx.models.Message.findOne({ inboxId, 'delivery.providerId': sid }).lean<MessageDoc>();
    if (m || Date.now() > deadline) return m;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
