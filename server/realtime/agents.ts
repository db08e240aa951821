/**
 * The `/agent` namespace: authenticated by the bearer token from /api/auth/login.
 * Each socket joins the rooms of its scope (server/access/audience.ts): its agent's, its
 * teams', its queue's and, for supervisors and admins, their overseers' rooms. Every
 * event is decided by the access rules. See docs/protocol.md.
 */
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { AgentClientEvents, AgentServerEvents, ConversationView } from '../../shared/protocol';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import { Forbidden, Unauthorized } from '../domain/errors';
import { historyPage } from '../domain/message';
import type { Models } from '../domain/models';
import { agentView, messageView } from '../domain/views';
import type { Replies } from '../messaging/replies';
import type { Metrics } from '../observability/metrics';
import type { PresenceService } from '../routing/presence';
import type { SecondLine } from '../routing/escalate';
import type { Router } from '../routing/router';
import type { Seats } from '../routing/seats';
import type { AgentAccess } from '../auth/access';
import type { Classification } from '../classification/service';
import { liveKeyOf } from '../ingest/conversations';
import { queueKey, roomsOf } from '../access/audience';
import { handledConversation, visibleConversation } from '../access/reads';
import type { Scope } from '../access/rules';
import { handler, signal } from './ack';
import type { Notifier } from './notifier';
import { AGENT_NS, rooms } from './rooms';
import { agentEvents as S } from './schemas';
import type { SupervisorView } from './supervisor';

export interface AgentNamespaceDeps {
  io: Server;
  models: Models;
  access: AgentAccess;
  router: Router;
  presence: PresenceService;
  replies: Replies;
  seats: Seats;
  notifier: Notifier;
  supervisor: SupervisorView;
  classification: Classification;
  secondLine: SecondLine;
  metrics: Metrics;
  logger: Logger;
}

type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, Scope>;

/** How often a socket's account is read again: a demoted, re-teamed, re-passworded or disabled account applies within it. */
export const ACCOUNT_RECHECK_MS = 5000;

export function mountAgentNamespace(d: AgentNamespaceDeps): void {
  const ns = d.io.of(AGENT_NS);
  d.notifier.learnQueueAudiences();

  ns.use((socket, next) => {
    d.access
      .verify((socket.handshake.auth as { token?: unknown }).token)
      .then((who) => {
        socket.data = who;
        next();
      })
      .catch((err: unknown) => next(err instanceof Unauthorized ? err : new Unauthorized()));
  });

  ns.on('connection', (raw) => {
    const socket = raw as unknown as AgentSocket;
    const { agentId } = socket.data;
    const scope = () => socket.data;
    const log = d.logger.child({ agentId });
    let joined = roomsOf(socket.data);
    void socket.join(joined);
    d.notifier.queueAudience(queueKey(socket.data));
    d.metrics.sockets.inc({ namespace: 'agent' });
    // The account is read again every few seconds and before events once that is due: a
    // disabled account, or a token older than the last password or role change, is cut
    // off even where the admin's own process could not reach the socket; a new role or
    // new teams move the socket to the rooms they give.
    const token = (socket.handshake.auth as { token?: unknown }).token;
    let checkedAt = Date.now();
    const recheck = async (): Promise<boolean> => {
      try {
        socket.data = await d.access.verify(token);
      } catch {
        socket.disconnect(true);
        return false;
      }
      checkedAt = Date.now();
      const next = roomsOf(socket.data);
      for (const room of joined) if (!next.includes(room)) await socket.leave(room);
      await socket.join(next);
      joined = next;
      d.notifier.queueAudience(queueKey(socket.data));
      return true;
    };
    const timer = setInterval(() => {
      recheck().catch((err: unknown) => log.warn({ err }, 'account re-check failed'));
    }, ACCOUNT_RECHECK_MS);
    timer.unref();
    socket.use((_packet, next) => {
      if (Date.now() - checkedAt < ACCOUNT_RECHECK_MS) return next();
      recheck()
        .then((ok) => ok && next())
        .catch(() => socket.disconnect(true));
    });

    const me = async (): Promise<AgentDoc> => {
      const a = await d.models.Agent.findById(agentId).lean<AgentDoc>();
      if (!a || !a.active) throw new Unauthorized('Your account is disabled.');
      return a;
    };
    const canSee = (conversationId: string) => visibleConversation(d.models, scope(), conversationId);
    const canHandle = (conversationId: string) => handledConversation(d.models, scope(), conversationId);
    const view = (c: ConversationDoc): Promise<ConversationView> => d.notifier.view(c);
    const ctx = { agentId };
    const on = <E extends keyof typeof S>(
      event: E,
      run: (input: import('zod').infer<(typeof S)[E]>) => Promise<unknown>,
    ) => socket.on(event as never, handler(event, S[event], run as never, log, ctx) as never);

    on('presence:set', async ({ presence }) => {
      const a = await d.presence.set(agentId, presence);
      return agentView(a, await d.seats.loadOf(a._id));
    });
    on('queue:get', async () => d.notifier.queueViews(scope().role === 'admin' ? null : scope().teamIds));
    on('conversations:mine', async () => {
      const mine = await d.models.Conversation.find({ assigneeId: agentId, status: 'assigned' })
        .sort({ lastMessageAt: -1 })
        .lean<ConversationDoc[]>();
      return Promise.all(mine.map(view));
    });
    on('conversation:get', async ({ conversationId }) => {
      const c = await canSee(conversationId);
      await socket.join(rooms.conversation(conversationId));
      const messages = await historyPage(d.models.Message, { conversationId: c._id }, 1000);
      return { conversation: await view(c), messages: messages.map((m) => messageView(m, c.channel)) };
    });
    on('messages:since', async ({ conversationId, after }) => {
      const c = await canSee(conversationId);
      const messages = await historyPage(d.models.Message, { conversationId: c._id }, 1000, after);
      return messages.map((m) => messageView(m, c.channel));
    });
    on('offer:accept', async ({ conversationId }) => view(await d.router.accept(scope(), conversationId)));
    on('offer:decline', async ({ conversationId }) => {
      await d.router.decline(agentId, conversationId);
      return { conversationId };
    });
    on('conversation:take', async ({ conversationId }) => view(await d.router.take(scope(), conversationId)));
    on('message:send', async (p) => {
      const { message, conversation } = await d.replies.send(await me(), p);
      return messageView(message, conversation.channel);
    });
    on('messages:read', async ({ conversationId, upTo }) => {
      const c = await canHandle(conversationId);
      await d.models.Message.updateMany(
        { conversationId: c._id, direction: 'in', _id: { $lte: upTo }, readAt: null },
        { $set: { readAt: new Date() } },
      );
      d.notifier.readByAgent(c, upTo);
      return { upTo };
    });
    on('conversation:transfer', async (p) =>
      view(
        await d.router.transfer(scope(), p.conversationId, {
          agentId: p.toAgentId,
          teamId: p.toTeamId,
          note: p.note,
        }),
      ),
    );
    on('conversation:resolve', async ({ conversationId }) =>
      view(await d.router.resolve(scope(), conversationId)),
    );
    on('conversation:reopen', async ({ conversationId }) =>
      view(await d.router.reopen(scope(), conversationId, liveKeyOf)),
    );
    on('conversation:classify', async ({ conversationId, ...change }) =>
      view(await d.classification.change(scope(), conversationId, change)),
    );
    on('conversation:escalate', async ({ conversationId, note }) =>
      view(await d.secondLine.byAgent(conversationId, { ...scope(), note })),
    );
    on('supervisor:snapshot', async () => {
      if (scope().role === 'agent') throw new Forbidden('The supervisor view is for supervisors and admins.');
      return d.supervisor.snapshot(scope());
    });
    socket.on(
      'typing',
      signal(
        'typing',
        S.typing,
        async ({ conversationId, typing }) => {
          const c = await canHandle(conversationId);
          const a = await me();
          d.notifier.typing(c, 'agent', typing, a.name, agentId);
        },
        log,
        ctx,
      ),
    );

    socket.on('disconnect', () => {
      clearInterval(timer);
      d.metrics.sockets.dec({ namespace: 'agent' });
      // Offline only when the agent's last socket, on any process, is gone.
      ns.in(rooms.agent(agentId))
        .fetchSockets()
        .then(async (left) => {
          if (left.length === 0) await d.presence.set(agentId, 'offline');
        })
        .catch((err: unknown) => log.warn({ err }, 'presence on disconnect failed'));
    });
  });
}
