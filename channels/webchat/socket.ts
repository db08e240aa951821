/**
 * The `/webchat` Socket.IO namespace: the visitor's side of the web chat protocol
 * (docs/protocol.md). Sends are acknowledged only after ingest has stored them, and are
 * idempotent by the client's id, so the widget can resend after any disconnect. A socket
 * has a bounded number of sends in progress; a resend of one in progress joins it.
 */
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import type { MessageView, WebchatClientEvents, WebchatServerEvents } from '../../shared/protocol';
import type { ChannelContext } from '../../server/domain/channel';
import type { ConversationDoc } from '../../server/domain/conversation';
import { NotFound } from '../../server/domain/errors';
import { historyPage } from '../../server/domain/message';
import { messageView } from '../../server/domain/views';
import { handler, signal } from '../../server/realtime/ack';
import { WEBCHAT_NS, rooms } from '../../server/realtime/rooms';
import { webchatEvents as S } from '../../server/realtime/schemas';
import type { VisitorSession, VisitorSessions } from '../../server/auth/visitors';
import { visitorStatus } from './status';
import { surveyView } from './survey';

type SendPayload = import('zod').infer<(typeof S)['message:send']>;
type VisitorSocket = Socket<WebchatClientEvents, WebchatServerEvents, Record<string, never>, VisitorSession>;

export function mountWebchatNamespace(
  io: Server,
  ctx: ChannelContext,
  sessions: VisitorSessions,
  limits: { maxSendsPerSocket: number },
): void {
  const ns = io.of(WEBCHAT_NS);
  const { models } = ctx;
  /** Sends being stored on this process, by dedupe key: a resend (any tab) waits for the same one. */
  const sending = new Map<string, Promise<MessageView>>();

  ns.use((socket, next) => {
    try {
      socket.data = sessions.verify((socket.handshake.auth as { token?: unknown }).token);
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  ns.on('connection', (raw) => {
    const socket = raw as unknown as VisitorSocket;
    const session = socket.data;
    const log = ctx.logger.child({ inboxId: session.inboxId });
    void socket.join(rooms.visitor(session.visitorId));

    const contactId = async () =>
      (await models.ContactIdentity.findOne({ key: `webchat:${session.visitorId}` }).lean())?.contactId ??
      null;
    const current = async (): Promise<ConversationDoc | null> => {
      const cid = await contactId();
      if (!cid) return null;
      return models.Conversation.findOne({ contactId: cid, inboxId: session.inboxId })
        .sort({ createdAt: -1 })
        .lean<ConversationDoc>();
    };
    const ctxLog = { visitorId: session.visitorId };
    const on = <E extends keyof typeof S>(
      event: E,
      run: (input: import('zod').infer<(typeof S)[E]>) => Promise<unknown>,
    ) => socket.on(event as never, handler(event, S[event], run as never, log, ctxLog) as never);

    const store = async (p: SendPayload, dedupeKey: string): Promise<MessageView> => {
      const res = await ctx.ingest({
        inboxId: session.inboxId,
        from: { channel: 'webchat', address: session.visitorId },
        profile: { name: session.name, email: session.email, locale: session.locale },
        dedupeKey,
        text: p.text.trim(),
        attachments: p.attachments ? await ctx.attachments.resolve(p.attachments) : undefined,
        meta: { clientId: p.clientId, userAgent: socket.handshake.headers['user-agent'] ?? null },
        chosenCategory: session.category,
      });
      const view = messageView(res.message, 'webchat');
      // The visitor's other tabs show it too.
      if (!res.duplicate) socket.to(rooms.visitor(session.visitorId)).emit('message', view);
      return view;
    };
    let inProgress = 0;
    on('message:send', async (p) => {
      const dedupeKey = `web:${session.visitorId}:${p.clientId}`;
      const joined = sending.get(dedupeKey);
      if (joined) return joined;
      if (inProgress >= limits.maxSendsPerSocket) throw ctx.busy('webchat');
      inProgress++;
      const run = store(p, dedupeKey).finally(() => {
        inProgress--;
        sending.delete(dedupeKey);
      });
      sending.set(dedupeKey, run);
      return run;
    });

    on('history:get', async ({ after, limit }) => {
      const cid = await contactId();
      if (!cid) return [];
      const convs = await models.Conversation.find(
        { contactId: cid, inboxId: session.inboxId },
        { _id: 1 },
      ).lean();
      const msgs = await historyPage(
        models.Message,
        { conversationId: { $in: convs.map((c) => c._id) }, private: false },
        limit ?? 200,
        after,
      );
      return msgs.map((m) => messageView(m, 'webchat'));
    });

    on('status:get', async () => visitorStatus(models, await current()));

    // A rating asked after a resolution: shown again on reload until answered.
    on('survey:get', async () => {
      const cid = await contactId();
      const open = cid ? await ctx.surveys.open(session.inboxId, String(cid)) : null;
      return open ? surveyView(open) : null;
    });
    on('survey:answer', async ({ surveyId, rating, comment }) => {
      const from = { channel: 'webchat' as const, address: session.visitorId };
      const view = surveyView(
        await ctx.surveys.answer({
          surveyId,
          rating,
          comment,
          from,
          dedupeKey: `web:${randomUUID()}`,
        }),
      );
      // The visitor's other tabs show the answer too.
      socket.to(rooms.visitor(session.visitorId)).emit('survey:request', view);
      return view;
    });
    on('complaint:accept', async () => {
      const conv = await current();
      if (!conv) throw new NotFound('Conversation');
      await ctx.acceptSolution(String(conv._id));
      return { conversationId: String(conv._id) };
    });

    on('messages:read', async ({ upTo }) => {
      const conv = await current();
      if (conv) await ctx.customerRead(String(conv._id), upTo);
      return { upTo };
    });

    socket.on(
      'typing',
      signal(
        'typing',
        S.typing,
        async ({ typing }) => {
          const conv = await current();
          if (conv && conv.status !== 'resolved') await ctx.customerTyping(String(conv._id), typing);
        },
        log,
        ctxLog,
      ),
    );
  });
}
