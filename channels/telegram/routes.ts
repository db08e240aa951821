/**
 * The channel's HTTP routes under /channels/telegram: the bot's webhook (answered 200
 * only once the update is stored) and the deep link a web chat visitor asks for to
 * continue the conversation on Telegram.
 */
import express, { type Request, type Response } from 'express';
import type { ChannelContext } from '../../server/domain/channel';
import { Conflict, Forbidden, NotFound, Overloaded } from '../../server/domain/errors';
import type { InboxDoc } from '../../server/domain/inbox';
import { route } from '../../server/http/errors';
import { VisitorSessions } from '../../server/auth/visitors';
import { linkToken, linkUrl } from './deeplink';
import { takeUpdate, type BotInbox } from './inbound';
import { telegramSettings, type TelegramSettings } from './settings';
import { SECRET_HEADER, secretMatches, webhookSecret } from './webhook';
import { anyOrigin } from '../../server/http/cors';

export interface RouteDeps {
  ctx(): ChannelContext;
  /** The inbox's bot client, shared with sending. */
  bot(inboxId: string, settings: TelegramSettings): BotInbox;
  /** The bot's @username (getMe). */
  username(inboxId: string, settings: TelegramSettings): Promise<string>;
  linkTtlS: number;
}

export function telegramRouter(deps: RouteDeps): express.Router {
  const router = express.Router();

  const inboxByKey = async (key: string) => {
    const inbox = await deps
      .ctx()
      .models.Inbox.findOne({ key, channel: 'telegram', enabled: true })
      .lean<InboxDoc>();
    if (!inbox) throw new NotFound('Inbox');
    return { inbox, settings: telegramSettings.parse(inbox.settings ?? {}) };
  };

  router.post(
    '/:inboxKey/webhook',
    express.json({ limit: '1mb' }),
    route(async (req: Request, res: Response) => {
      const ctx = deps.ctx();
      const { inbox, settings } = await inboxByKey(String(req.params.inboxKey));
      const inboxId = String(inbox._id);
      const secret = settings.mode === 'webhook' ? await webhookSecret(ctx, inboxId) : null;
      if (!secret || !secretMatches(secret, req.headers[SECRET_HEADER])) {
        ctx.logger.warn({ inboxId }, 'Telegram webhook call without the right secret token');
        throw new Forbidden('The secret token is missing or wrong.');
      }
      try {
        await takeUpdate(ctx, deps.bot(inboxId, settings), req.body);
      } catch (err) {
        // Not stored: a 5xx makes Telegram deliver the update again.
        if (err instanceof Overloaded) throw err;
        ctx.logger.error({ err, inboxId }, 'Telegram update not stored; Telegram will retry');
        res.status(503).json({ error: { code: 'not_stored', message: 'Try again.' } });
        return;
      }
      res.status(200).json({ ok: true });
    }),
  );

  // Asked for by the widget, from customers' own sites.
  router.use('/:inboxKey/link', anyOrigin);
  router.post(
    '/:inboxKey/link',
    route(async (req: Request, res: Response) => {
      const ctx = deps.ctx();
      const header = req.headers.authorization ?? '';
      const visitor = new VisitorSessions(ctx.authSecret, 1).verify(
        header.startsWith('Bearer ') ? header.slice(7) : '',
      );
      const { inbox, settings } = await inboxByKey(String(req.params.inboxKey));
      const identity = await ctx.models.ContactIdentity.findOne({
        key: `webchat:${visitor.visitorId}`,
      }).lean();
      if (!identity)
        throw new Conflict('no_contact', 'Write to us in the chat first, then continue on Telegram.');
      const inboxId = String(inbox._id);
      const username = await deps.username(inboxId, settings);
      const token = linkToken(ctx.authSecret, {
        inboxId,
        contactId: String(identity.contactId),
        ttlS: deps.linkTtlS,
      });
      res.json({
        url: linkUrl(username, token),
        expiresAt: new Date(Date.now() + deps.linkTtlS * 1000).toISOString(),
      });
    }),
  );
  return router;
}
