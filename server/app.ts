/**
 * The composition root: builds every service from Config, wires them, and owns their
 * lifecycle. Nothing else creates connections, so tests can run several gateways in
 * one process, or several processes on one database.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdapter } from '@socket.io/redis-adapter';
import express from 'express';
import Redis from 'ioredis';
import mongoose, { Types } from 'mongoose';
import type { Logger } from 'pino';
import { Server as IoServer } from 'socket.io';
import { createSmsChannel } from '../channels/sms';
import { createTelegramChannel } from '../channels/telegram';
import { createEmailChannel } from '../channels/email';
import { createWebchatChannel } from '../channels/webchat';
import { hashPassword } from './auth/passwords';
import { AgentAccess } from './auth/access';
import { AGENT_NS, rooms } from './realtime/rooms';
import { Tokens } from './auth/tokens';
import type { Config } from './config';
import type { Channel, ChannelContext } from './domain/channel';
import type { ContactDoc } from './domain/contact';
import { placeInQueue, type ConversationDoc } from './domain/conversation';
import type { InboxDoc } from './domain/inbox';
import { ConversationLocks } from './domain/lock';
import type { MessageDoc } from './domain/message';
import { ensureIndexes, isDuplicateKey, registerModels, type Models } from './domain/models';
import type { ChannelKind } from './domain/types';
import { adminRouter } from './http/admin';
import { authRouter } from './http/auth';
import { uploadsRouter } from './http/uploads';
import { conversationsRouter } from './http/conversations';
import { errorHandler } from './http/errors';
import { healthRouter } from './http/health';
import { linkIdentity } from './ingest/contacts';
import { Admission } from './ingest/admission';
import { Ingest } from './ingest/ingest';
import { Timeline } from './ingest/timeline';
import { DeliveryRecorder } from './messaging/delivery';
import { Replies } from './messaging/replies';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { RoutingTimers } from './queues/delayed';
import { OutboundQueues } from './queues/outbound';
import { mountAgentNamespace } from './realtime/agents';
import { Notifier } from './realtime/notifier';
import { SupervisorView } from './realtime/supervisor';
import { PresenceService } from './routing/presence';
import { Router } from './routing/router';
import { Seats } from './routing/seats';
import { SlaEngine } from './sla/engine';
import { SlaTimers } from './sla/timers';
import { AttachmentStore } from './storage/attachments';
import { OrphanSweep } from './storage/orphans';

export interface AppOptions {
  /** Channel instances; defaults to every channel with its real provider. */
  channels?: Channel[];
  logger?: Logger;
}

export function defaultChannels(config: Config): Channel[] {
  return [
    createWebchatChannel(config.webchat),
    createSmsChannel(),
    createTelegramChannel({ pollerLeaseMs: config.channelLeaseMs }),
    createEmailChannel({ maxTextLength: config.maxMessageLength, leaseMs: config.channelLeaseMs }),
  ];
}

export type App = Awaited<ReturnType<typeof createApp>>;

export async function createApp(config: Config, options: AppOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const db = mongoose.createConnection(config.mongoUrl, {
    writeConcern: { w: 'majority', j: true },
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: config.mongoMaxPoolSize,
  });
  await db.asPromise();
  const models: Models = registerModels(db);
  await ensureIndexes(models);

  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const pub = new Redis(config.redisUrl);
  const sub = pub.duplicate();
  const prefix = config.redisPrefix;

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', true);
  const http: HttpServer = createServer(web);
  const io = new IoServer(http, {
    cors: { origin: true, credentials: false },
    maxHttpBufferSize: 1e6,
    adapter: createAdapter(pub, sub, { key: `${prefix}:socket.io` }),
  });

  const channels = new Map<ChannelKind, Channel>(
    (options.channels ?? defaultChannels(config)).map((c) => [c.kind, c]),
  );
  const tokens = new Tokens(config.authSecret, config.agentTokenTtlS);
  const access = new AgentAccess(tokens, models);
  const timeline = new Timeline(models);
  const locks = new ConversationLocks(redis, prefix);
  const notifier = new Notifier(io, models, logger, async (notice) => {
    await channels.get(notice.conversation.channel)?.notify?.(notice);
  });
  const slaTimers = new SlaTimers(config.redisUrl, prefix, logger);
  const sla = new SlaEngine(models, locks, slaTimers, timeline, notifier, metrics, config.sla, logger);
  const routingTimers = new RoutingTimers(config.redisUrl, prefix);
  const seats = new Seats(models);
  const router = new Router(
    models,
    locks,
    seats,
    sla,
    timeline,
    notifier,
    routingTimers,
    metrics,
    config.routing,
    logger,
  );
  const presence = new PresenceService(models, router, routingTimers, config.routing.offlineGraceMs, logger);

  const setReachability = async (
    contactId: string,
    channel: ChannelKind,
    reachable: boolean,
    reason: string | null,
  ) => {
    await models.Contact.updateOne(
      { _id: contactId },
      { $set: { [`reachability.${channel}`]: { reachable, reason, updatedAt: new Date() } } },
    );
    const convs = await models.Conversation.find(
      { contactId, channel, status: { $ne: 'resolved' } },
      { _id: 1, inboxId: 1 },
    ).lean();
    for (const c of convs) {
      await timeline.record(
        c,
        reachable ? 'contact.consent_changed' : 'contact.unreachable',
        { type: 'system', id: null },
        { channel, reachable, reason },
      );
    }
  };
  const delivery = new DeliveryRecorder(models, locks, notifier);
  const outbound = new OutboundQueues(
    config.redisUrl,
    prefix,
    models,
    channels,
    delivery,
    timeline,
    { set: setReachability },
    metrics,
    logger,
  );
  const attachments = new AttachmentStore(db, {
    maxBytes: config.attachmentMaxBytes,
    orphanTtlMs: config.uploads.orphanTtlMs,
  });
  const orphans = new OrphanSweep(attachments, models.Message, config.uploads.sweepIntervalMs, logger);
  await orphans.ensureIndex();
  const replies = new Replies(
    models,
    locks,
    router,
    sla,
    outbound,
    notifier,
    metrics,
    config.maxMessageLength,
    attachments,
    logger,
  );
  const ingest = new Ingest({
    models,
    locks,
    timeline,
    sla,
    router,
    notifier,
    metrics,
    logger,
    reopenWindowMs: config.routing.reopenWindowMs,
    maxMessageLength: config.maxMessageLength,
  });
  const supervisor = new SupervisorView(models, seats, notifier);
  const admission = new Admission(config.admission, metrics);

  sla.setEscalation({
    returnToQueue: (id, reason) => router.returnToQueue(id, reason),
    dispatch: () => router.dispatch(),
    tellCustomer: async (id) => {
      const conv = await models.Conversation.findById(id).lean<ConversationDoc>();
      if (!conv || conv.status !== 'queued' || !conv.pickupClock) return;
      const place = (await placeInQueue(models.Conversation, conv)) ?? 1;
      await replies.automatic(
        id,
        `pickup-breach:${id}:${new Date(conv.pickupClock.startedAt).getTime()}`,
        `Thank you for waiting. All our agents are busy right now; you are number ${place} in line and the next free agent will answer you.`,
      );
    },
  });

  const ctx: ChannelContext = {
    logger,
    ingest: (m) => admission.run(m.from.channel, () => ingest.ingest(m)),
    busy: (channel) => admission.refuse(channel),
    async updateDelivery(inboxId, providerId, status, error = null) {
      const found = await models.Message.findOne(
        { inboxId, 'delivery.providerId': providerId },
        { _id: 1, conversationId: 1 },
      ).lean<MessageDoc>();
      if (found) await delivery.record(found, status, { error });
    },
    setReachability,
    async reportInboxState(inboxId, status, error) {
      await models.Inbox.updateOne(
        { _id: inboxId },
        { $set: { state: { status, error, updatedAt: new Date() } } },
      );
    },
    async customerTyping(conversationId, typing) {
      const conv = await models.Conversation.findById(conversationId).lean<ConversationDoc>();
      const contact = conv
        ? await models.Contact.findById(conv.contactId, { name: 1 }).lean<ContactDoc>()
        : null;
      if (conv) notifier.typing(conv, 'contact', typing, contact?.name ?? null);
    },
    async customerRead(conversationId, upTo) {
      if (!Types.ObjectId.isValid(upTo)) return;
      const unread = await models.Message.find(
        {
          conversationId,
          direction: 'out',
          private: false,
          _id: { $lte: new Types.ObjectId(upTo) },
          readAt: null,
        },
        { _id: 1, conversationId: 1 },
      )
        .sort({ _id: 1 })
        .limit(500)
        .lean<MessageDoc[]>();
      for (const m of unread) await delivery.record(m, 'read');
    },
    async editInbound(inboxId, dedupeKey, text) {
      const at = new Date();
      const m = await models.Message.findOneAndUpdate(
        { inboxId, dedupeKey, direction: 'in' },
        { $set: { text, editedAt: at, 'meta.editedAt': at } },
        { new: true },
      ).lean<MessageDoc>();
      if (!m) return false;
      const conv = await models.Conversation.findById(m.conversationId).lean<ConversationDoc>();
      if (conv) notifier.messageUpdated(m, conv);
      return true;
    },
    linkIdentity: (contactId, identity) => linkIdentity(models, new Types.ObjectId(contactId), identity),
    attachments: {
      store: (data, meta) => attachments.store(data, meta),
      upload: (source, meta) => attachments.upload(source, meta),
      read: (fileId) => attachments.read(fileId),
      resolve: (list) => attachments.resolve(list),
      maxBytes: config.attachmentMaxBytes,
    },
    checkpoints: {
      async get(key) {
        return (await models.ChannelCheckpoint.findOne({ key }).lean())?.value ?? null;
      },
      async set(key, value) {
        await models.ChannelCheckpoint.updateOne({ key }, { $set: { value } }, { upsert: true });
      },
    },
    automatic: (conversationId, key, text) => replies.automatic(conversationId, key, text),
    redis,
    redisPrefix: prefix,
    io,
    publicUrl: config.publicUrl,
    authSecret: config.authSecret,
    models,
  };

  /** Starts an inbox in this process: its outbound queue (at the channel's current rate) and its channel. */
  async function startInbox(inbox: InboxDoc): Promise<void> {
    const channel = channels.get(inbox.channel);
    if (!channel) return;
    outbound.open(inbox);
    try {
      await channel.startInbox(inbox);
    } catch (err) {
      logger.error({ err, inboxId: String(inbox._id) }, 'inbox failed to start');
      await ctx.reportInboxState(String(inbox._id), 'error', (err as Error).message);
    }
  }

  /** Applies an inbox's stored settings in this process: stop what runs, start it again if enabled. */
  async function applyInbox(inboxId: string): Promise<void> {
    const inbox = await models.Inbox.findById(inboxId).lean<InboxDoc>();
    if (!inbox) return;
    await channels.get(inbox.channel)?.stopInbox(inboxId);
    await outbound.closeInbox(inboxId);
    if (inbox.enabled) await startInbox(inbox);
  }
  const INBOX_CHANGED = 'inbox:changed';
  io.on(INBOX_CHANGED, (inboxId: string) => {
    applyInbox(inboxId).catch((err: unknown) =>
      logger.error({ err, inboxId }, 'applying an inbox change failed'),
    );
  });

  const life = {
    async changed(inboxId: string) {
      await applyInbox(inboxId);
      // The other gateway processes apply it too (through the Redis adapter).
      io.serverSideEmit(INBOX_CHANGED, inboxId);
    },
    async agentDisabled(agentId: string) {
      io.of(AGENT_NS).in(rooms.agent(agentId)).disconnectSockets(true);
    },
  };

  web.use('/', healthRouter(db, redis, metrics));
  web.use('/attachments', attachments.router());
  web.use('/api', express.json({ limit: '256kb' }));
  web.use('/api/auth', authRouter(models, access, seats));
  web.use('/api', adminRouter(models, access, seats, channels, life, config.routing.defaultCapacity));
  web.use('/api', uploadsRouter(access, ctx.attachments));
  web.use('/api', conversationsRouter(models, access));
  for (const c of channels.values()) if (c.router) web.use(`/channels/${c.kind}`, c.router);
  const root = path.resolve(__dirname, '..');
  web.get('/widget.js', (_req, res) => res.sendFile(path.join(root, 'widget/dist/widget.js')));
  web.use('/demo', express.static(path.join(root, 'widget/dist/demo')));
  web.use('/console', express.static(path.join(root, 'console/dist')));
  web.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such endpoint.' } });
  });
  web.use(errorHandler(logger));

  mountAgentNamespace({
    io,
    models,
    access,
    router,
    presence,
    replies,
    seats,
    notifier,
    supervisor,
    metrics,
    logger,
  });

  let loop: NodeJS.Timeout | null = null;
  let url = '';

  async function bootstrapAdmin() {
    if (!config.admin) return;
    if (await models.Agent.exists({ email: config.admin.email })) return;
    await models.Agent.create({
      email: config.admin.email,
      name: config.admin.name,
      role: 'admin',
      capacity: config.routing.defaultCapacity,
      passwordHash: await hashPassword(config.admin.password),
    }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
    logger.info({ email: config.admin.email }, 'admin account created');
  }

  async function start(): Promise<string> {
    await bootstrapAdmin();
    for (const c of channels.values()) await c.init(ctx);
    for (const inbox of await models.Inbox.find({ enabled: true }).lean<InboxDoc[]>())
      await startInbox(inbox);
    sla.startSweeping();
    orphans.start();
    routingTimers.process(async (job) => {
      if (job.type === 'offer-expiry') await router.expireOffer(job.conversationId, job.agentId);
      else await presence.graceEnded(job.agentId, job.since);
    });
    const tick = () => {
      Promise.all([router.expireDueOffers(), presence.sweep()])
        .then(() => router.dispatch())
        .catch((err: unknown) => logger.error({ err }, 'routing sweep failed'))
        .finally(() => {
          if (loop) loop = setTimeout(tick, Math.max(config.sla.sweepIntervalMs, 250));
        });
    };
    loop = setTimeout(tick, config.sla.sweepIntervalMs);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    const addr = http.address() as AddressInfo;
    url = `http://${config.host}:${addr.port}`;
    logger.info({ url }, 'switchboard listening');
    return url;
  }

  let closing: Promise<void> | null = null;
  /** Stops everything this process runs; calling it again waits for the same shutdown. */
  function close(): Promise<void> {
    closing ??= shutdown();
    return closing;
  }

  async function shutdown(): Promise<void> {
    if (loop) clearTimeout(loop);
    loop = null;
    sla.stopSweeping();
    orphans.stop();
    notifier.close();
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    for (const c of channels.values())
      await c.close().catch((err: unknown) => logger.warn({ err }, 'channel close failed'));
    await outbound.close();
    await slaTimers.close();
    await routingTimers.close();
    await Promise.all([redis.quit(), pub.quit(), sub.quit()].map((p) => p.catch(() => undefined)));
    await db.close();
  }

  return {
    config,
    logger,
    metrics,
    db,
    models,
    redis,
    io,
    channels,
    tokens,
    ingest,
    router,
    presence,
    replies,
    sla,
    start,
    close,
    get url() {
      return url;
    },
  };
}
