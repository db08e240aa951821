/**
 * The web chat channel: visitors from the embedded widget. Sessions are opened over
 * HTTP (POST /channels/webchat/sessions), messages flow over the `/webchat` namespace,
 * and agent replies are delivered to every tab of the visitor.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { WebchatSessionView } from '../../shared/protocol';
import { z } from 'zod';
import type {
  Channel,
  ChannelContext,
  CustomerNotice,
  OutboundMessage,
  SendResult,
  SurveyPrompt,
} from '../../server/domain/channel';
import type { ConversationDoc } from '../../server/domain/conversation';
import { NotFound } from '../../server/domain/errors';
import { anyOrigin } from '../../server/http/cors';
import { UploadQuota, type UploadQuotaLimits } from '../../server/storage/quota';
import {
  UPLOAD_TYPES,
  acceptUpload,
  closeUnread,
  sendUploaded,
  uploadHead,
} from '../../server/storage/uploads';
import type { InboxDoc } from '../../server/domain/inbox';
import { messageView } from '../../server/domain/views';
import { WEBCHAT_NS, rooms } from '../../server/realtime/rooms';
import { VisitorSessions, type VisitorSession } from '../../server/auth/visitors';
import { localeOf } from '../../server/domain/locale';
import { verifiedContact } from '../../server/identity/contact';
import { verifiedUser, verifiedVisitorId } from '../../server/identity/verify';
import { webchatSettings } from './settings';
import { mountWebchatNamespace } from './socket';
import { visitorStatus } from './status';
import { surveyView } from './survey';

/** The offered categories that exist and are enabled, in the inbox's order, with their names. */
async function preChatCategories(models: ChannelContext['models'], keys: string[]) {
  if (keys.length === 0) return [];
  const found = await models.Category.find(
    { key: { $in: keys }, enabled: true },
    { key: 1, names: 1 },
  ).lean();
  const byKey = new Map(found.map((c) => [c.key, { key: c.key, names: { en: c.names.en, zh: c.names.zh } }]));
  return keys.flatMap((k) => byKey.get(k) ?? []);
}

const SessionRequest = z.object({
  inboxKey: z.string().min(1).max(128),
  token: z.string().max(4096).optional(),
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().email().max(320).optional(),
  locale: z.string().max(20).optional(),
  /** A category key from the inbox's pre-chat choice. */
  category: z.string().max(40).optional(),
  /** Who the site says the visitor is, signed with the inbox's identity secret. */
  identity: z
    .object({
      userId: z.string().trim().min(1).max(200),
      userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of userId'),
      name: z.string().trim().max(200).optional(),
      email: z.string().trim().email().max(320).optional(),
    })
    .strict()
    .optional(),
});

export interface WebchatOptions {
  sessionTtlS: number;
  /** Sends one visitor socket may have in progress (default 4). */
  maxSendsPerSocket?: number;
  /** Uploads per visitor session and window (default 20 files, 50 MB per hour). */
  uploadQuota?: UploadQuotaLimits;
}

export function createWebchatChannel(options: WebchatOptions): Channel {
  let ctx: ChannelContext | null = null;
  let sessions: VisitorSessions | null = null;
  let quota: UploadQuota | null = null;
  const router = express.Router();
  // The widget runs on customers' own sites.
  router.use(anyOrigin);
  router.use(express.json({ limit: '16kb' }));

  const need = () => {
    if (!ctx || !sessions || !quota) throw new Error('web chat channel used before init');
    return { ctx, sessions, quota };
  };

  router.post('/sessions', (req: Request, res: Response, next: NextFunction) => {
    const { ctx: c, sessions: s } = need();
    const body = SessionRequest.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({
        error: {
          code: 'invalid_input',
          message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      });
      return;
    }
    (async () => {
      const inbox = await c.models.Inbox.findOne({
        key: body.data.inboxKey,
        channel: 'webchat',
        enabled: true,
      }).lean<InboxDoc>();
      if (!inbox) throw new NotFound('Inbox');
      const settings = webchatSettings.parse(inbox.settings ?? {});
      const choices = await preChatCategories(c.models, settings.preChat.categories);
      // Only a category the form offers is taken from the visitor.
      const offered = (key: string | undefined) =>
        key && choices.some((x) => x.key === key) ? key : undefined;
      const origin = req.headers.origin;
      if (settings.allowedOrigins.length > 0 && origin && !settings.allowedOrigins.includes(origin)) {
        res.status(403).json({
          error: { code: 'origin_not_allowed', message: 'This site may not open chats on this inbox.' },
        });
        return;
      }
      const signed = body.data.identity;
      const userId = verifiedUser(settings, signed);
      const verifiedId = userId === null ? null : verifiedVisitorId(c.keyring, String(inbox._id), userId);
      let previous: VisitorSession | null = null;
      if (body.data.token) {
        try {
          const old = s.verify(body.data.token);
          if (old.inboxId === String(inbox._id)) previous = old;
        } catch {
          previous = null; // an expired or foreign token starts a new session
        }
      }
      // A verified session resumes only with the same signed user; a signed user never continues an anonymous one.
      if (previous && (previous.verified || verifiedId) && previous.visitorId !== verifiedId) previous = null;
      const { token, session } = s.issue({
        visitorId: verifiedId ?? previous?.visitorId,
        inboxId: String(inbox._id),
        name: signed?.name ?? body.data.name ?? previous?.name ?? null,
        email: signed?.email ?? body.data.email ?? previous?.email ?? null,
        category: offered(body.data.category) ?? previous?.category ?? null,
        locale: localeOf(body.data.locale) ?? previous?.locale ?? null,
        verified: verifiedId !== null,
      });
      if (userId !== null)
        await verifiedContact(c.models, session.visitorId, userId, {
          name: session.name ?? undefined,
          email: session.email ?? undefined,
        });
      const identity = await c.models.ContactIdentity.findOne({ key: `webchat:${session.visitorId}` }).lean();
      const conv = identity
        ? await c.models.Conversation.findOne({ contactId: identity.contactId, inboxId: inbox._id })
            .sort({ createdAt: -1 })
            .lean<ConversationDoc>()
        : null;
      const { online, hours } = await c.availability(inbox);
      const reply: WebchatSessionView = {
        token,
        visitorId: session.visitorId,
        verified: session.verified,
        conversationId: conv ? String(conv._id) : null,
        inbox: {
          name: inbox.name,
          preChat: { ...settings.preChat, categories: choices },
          welcome: settings.welcome ?? null,
          online,
          replyExpectation: settings.replyExpectation ?? null,
          pickupTargetMs: inbox.sla?.pickupTargetMs ?? null,
          hours,
        },
      };
      res.json(reply);
    })().catch(next);
  });

  /**
   * Widget uploads: the raw file as the body, the visitor's session as the bearer token.
   * Session, inbox, type, declared size and quota are checked before the body is read.
   */
  router.post(
    '/uploads',
    (req: Request, res: Response, next: NextFunction) => {
      const { ctx: c, sessions: s, quota: q } = need();
      (async () => {
        const header = req.headers.authorization ?? '';
        const session = s.verify(header.startsWith('Bearer ') ? header.slice(7) : '');
        const inbox = await c.models.Inbox.findById(session.inboxId).lean<InboxDoc>();
        if (!inbox || !inbox.enabled) throw new NotFound('Inbox');
        const head = uploadHead(req, c.attachments.maxBytes);
        await q.take(session.visitorId, head.declaredBytes);
        try {
          const attachment = await acceptUpload(req, c.attachments, head);
          await q.stored(session.visitorId, attachment.size);
          sendUploaded(res, attachment);
        } catch (err) {
          await q.release(session.visitorId);
          throw err;
        }
      })().catch(next);
    },
    closeUnread,
  );

  /** Upload limits for the widget to show before a file is picked. */
  router.get('/uploads/limits', (_req: Request, res: Response) => {
    const { ctx: c } = need();
    res.json({ maxBytes: c.attachments.maxBytes, types: UPLOAD_TYPES });
  });

  const visitorOf = (conv: ConversationDoc): Promise<string | null> =>
    need().ctx.contactAddress(String(conv.contactId), 'webchat');

  const deliver = async (out: OutboundMessage, survey: SurveyPrompt | null): Promise<SendResult> => {
    const { ctx: c } = need();
    const visitor = await visitorOf(out.conversation);
    if (!visitor) return { providerId: null, status: 'failed' };
    const room = rooms.visitor(visitor);
    const delivered = { ...out.message, delivery: { ...out.message.delivery, status: 'sent' as const } };
    const to = c.io.of(WEBCHAT_NS).to(room);
    to.emit('message', messageView(delivered, 'webchat'));
    if (survey)
      to.emit(
        'survey:request',
        surveyView({ ...survey, conversationId: String(out.conversation._id), rating: null, comment: null }),
      );
    const present = (await c.io.of(WEBCHAT_NS).in(room).fetchSockets()).length > 0;
    return { providerId: null, status: present ? 'delivered' : 'sent' };
  };

  return {
    kind: 'webchat',
    settingsSchema: webchatSettings,
    router,
    async init(c) {
      ctx = c;
      sessions = new VisitorSessions(c.authSecret, options.sessionTtlS);
      quota = new UploadQuota(
        c.redis,
        c.redisPrefix,
        options.uploadQuota ?? { count: 20, bytes: 50 * 1024 * 1024, windowMs: 3600_000 },
      );
      mountWebchatNamespace(c.io, c, sessions, { maxSendsPerSocket: options.maxSendsPerSocket ?? 4 });
    },
    async startInbox() {},
    async stopInbox() {},
    send: (out: OutboundMessage) => deliver(out, null),
    // The question arrives as a message, the inline rating under it; a reload asks `survey:get`.
    sendSurvey: (out: OutboundMessage, survey: SurveyPrompt) => deliver(out, survey),
    async notify(n: CustomerNotice) {
      const { ctx: c } = need();
      const visitor = await visitorOf(n.conversation);
      if (!visitor) return;
      const to = c.io.of(WEBCHAT_NS).to(rooms.visitor(visitor));
      if (n.type === 'status') to.emit('status', await visitorStatus(c.models, n.conversation, n.known));
      else if (n.type === 'typing') to.emit('typing', { typing: n.typing, agentName: n.agentName });
      else if (n.type === 'read') to.emit('messages:read', { upTo: n.upTo });
      else if (n.type === 'solution')
        to.emit('complaint:solution', {
          conversationId: String(n.conversation._id),
          messageId: String(n.message._id),
          text: n.message.text,
        });
      else to.emit('message:updated', messageView(n.message, 'webchat'));
    },
    async close() {},
  };
}
