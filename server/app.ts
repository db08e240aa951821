/**
 * The composition root: builds every service from Config, wires them, and owns their
 * lifecycle. Nothing else creates connections, so tests can run several gateways in
 * one process, or several processes on one database.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import { Server as IoServer } from 'socket.io';
import { createSmsChannel } from '../channels/sms';
import { createTelegramChannel } from '../channels/telegram';
import { createEmailChannel } from '../channels/email';
import { createWebchatChannel } from '../channels/webchat';
import { AgentAccess } from './auth/access';
import { AGENT_NS, rooms } from './realtime/rooms';
import { Tokens } from './auth/tokens';
import type { Config } from './config';
import type { Channel } from './domain/channel';
import { ConversationLocks } from './domain/lock';
import type { ChannelKind } from './domain/types';
import { Classification, type PolicyInputsChanged } from './classification/service';
import { seedClassification } from './classification/seed';
import { adminRouter } from './http/admin';
import { authRouter } from './http/auth';
import { classificationRouter } from './http/classification';
import { uploadsRouter } from './http/uploads';
import { conversationsRouter } from './http/conversations';
import { healthRouter } from './http/health';
import { guardedMetrics, MetricsListener } from './observability/metrics-listener';
import { Admission } from './ingest/admission';
import { BatchedInsert } from './storage/batched-insert';
import { Ingest } from './ingest/ingest';
import { Timeline } from './ingest/timeline';
import { DeliveryRecorder } from './messaging/delivery';
import { Replies } from './messaging/replies';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { RoutingTimers } from './queues/delayed';
import { OutboundQueues } from './queues/outbound';
import { mountHttp } from './http/routes';
import { openDatabase } from './domain/connect';
import { mountAgentNamespace } from './realtime/agents';
import { Notifier } from './realtime/notifier';
import { SupervisorView } from './realtime/supervisor';
import { PresenceService } from './routing/presence';
import { Router } from './routing/router';
import { Seats } from './routing/seats';
import { Candidates } from './routing/candidates';
import { RoutingSweep } from './routing/sweep';
import { createServiceLevels } from './sla';
import type { CalendarSource } from './sla/targets';
import { bootstrapAdmin } from './auth/bootstrap';
import { CustomerNotices } from './notices/customer';
import { OutOfHoursReplies } from './notices/out-of-hours';
import { policiesRouter } from './policy/http';
import { SecondLine } from './routing/escalate';
import { reachabilityRecorder } from './messaging/reachability';
import { AttachmentStore } from './storage/attachments';
import { channelContext } from './inboxes/context';
import { InboxRuntime } from './inboxes/runtime';
import { InboxDirectory } from './cache/inboxes';
import { ContactDirectory } from './cache/contacts';
import { createBatchedAdapter } from './coordination/broadcasts';
import { redisConnection, subscriberConnection } from './coordination/redis';
import { calendarsRouter } from './calendar/http';
import { SettingsChanges } from './cache/changes';
import { CalendarStore } from './calendar/store';
import { Availability } from './calendar/availability';
import { OrphanSweep } from './storage/orphans';
import { createSatisfaction } from './csat';
import { createServiceManagement } from './service-management';
import { createCapabilities } from './capabilities';
import { mountAgentEvents, type Capability } from './capability';
import { StaffAudit } from './audit/log';
import { ShiftRota } from './shifts/rota';
import { StaffedHours } from './shifts/hours';

export interface AppOptions {
  /** Channel instances; defaults to every channel with its real provider. */
  channels?: Channel[];
  logger?: Logger;
  /** Told when a conversation's category, priority or VIP status changed; defaults to nothing. */
  policyInputsChanged?: PolicyInputsChanged;
  /** Opening hours of inboxes, for business-time clocks; defaults to always open. */
  calendars?: CalendarSource;
  /** Told of every command sent to the database (command monitoring), e.g. to count them. */
  onDatabaseCommand?: (command: string) => void;
  /** The clock deadlines are checked against; defaults to the system clock. */
  now?: () => Date;
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
  const metricsListener = new MetricsListener(metrics, config.metrics, logger);
  const { db, models } = await openDatabase(config, logger, options.onDatabaseCommand);

  const redis = redisConnection(config.redis, 'commands', logger, { maxRetriesPerRequest: 3 });
  const pub = redisConnection(config.redis, 'socket.io-pub', logger);
  const sub = await subscriberConnection(config.redis, 'socket.io-sub', logger);
  const prefix = config.redisPrefix;

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', config.trustProxy);
  const http: HttpServer = createServer(web);
  const io = new IoServer(http, {
    cors: { origin: true, credentials: false },
    maxHttpBufferSize: 1e6,
    adapter: createBatchedAdapter(pub, sub, { key: `${prefix}:socket.io` }, logger),
  });

  const channels = new Map<ChannelKind, Channel>(
    (options.channels ?? defaultChannels(config)).map((c) => [c.kind, c]),
  );
  const tokens = new Tokens(config.authSecret, config.agentTokenTtlS);
  const access = new AgentAccess(tokens, models);
  const timeline = new Timeline(models);
  const locks = new ConversationLocks(redis, prefix);
  const contactDirectory = new ContactDirectory(models, config.cacheMaxAgeMs);
  const notifier = new Notifier(io, models, contactDirectory, logger, async (notice) => {
    await channels.get(notice.conversation.channel)?.notify?.(notice);
  });
  const now = options.now ?? (() => new Date());
  const inboxDirectory = new InboxDirectory(models);
  const calendars = new CalendarStore(models);
  const slaDeps = {
    config,
    models,
    locks,
    timeline,
    notifier,
    metrics,
    calendars: options.calendars ?? calendars,
    inboxes: inboxDirectory,
    now,
    logger,
  };
  const { sla, policies, timers } = createServiceLevels(slaDeps);
  const routingTimers = new RoutingTimers(config.redis, prefix, logger);
  const seats = new Seats(models);
  const candidates = new Candidates(models, timeline, config.routing, logger);
  const router = new Router(
    models,
    locks,
    seats,
    sla,
    timeline,
    notifier,
    routingTimers,
    candidates,
    metrics,
    config.routing,
    logger,
  );
  // Who is on a shift: routing offers only to agents on duty, and staffed hours open inboxes.
  const settings = new SettingsChanges(io);
  const rota = new ShiftRota(models, now, settings);
  candidates.roster = rota;
  const hours = new StaffedHours(calendars, inboxDirectory, rota);
  const presence = new PresenceService(models, router, routingTimers, config.routing.offlineGraceMs, logger);

  const setReachability = reachabilityRecorder(models, timeline);
  const delivery = new DeliveryRecorder(models, locks, notifier);
  const outbound = new OutboundQueues(
    config.redis,
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
  const csat = createSatisfaction({ ...slaDeps, replies, baseUrl: () => config.publicUrl ?? url });
  const desk = createServiceManagement({ ...slaDeps, sla, router, seats, replies, access, io });
  const audit = new StaffAudit(models, now, logger);
  const capabilities: Capability[] = [
    desk,
    ...createCapabilities({
      ...slaDeps,
      ...{ sla, router, seats, replies, access, io, redis, calendars, audit, presence, rota },
      contactChanged: (id) => contactDirectory.changed(id),
    }),
  ];
  router.resolution = desk.resolution;
  const classification = new Classification({
    models,
    locks,
    timeline,
    notifier,
    logger,
    categoryChanged: desk.categoryChanged,
    policyInputsChanged: options.policyInputsChanged ?? ((id, reason) => sla.retarget(id, reason)),
    contactChanged: (id) => contactDirectory.changed(id),
    cacheMaxAgeMs: config.cacheMaxAgeMs,
  });
  settings.on('policies', () => policies.invalidate());
  settings.on('classification', () => classification.rulesChanged());
  settings.on('calendar', (id) => calendars.invalidate(id));
  const ingest = new Ingest({
    models,
    inboxes: inboxDirectory,
    contacts: contactDirectory,
    locks,
    messages: new BatchedInsert(models.Message),
    timeline,
    sla,
    router,
    notifier,
    classification,
    outOfHours: new OutOfHoursReplies({ models, calendars: hours, replies, now, logger }),
    metrics,
    logger,
    reopenWindowMs: config.routing.reopenWindowMs,
    maxMessageLength: config.maxMessageLength,
    surveys: csat.textAnswers,
  });
  const supervisor = new SupervisorView(models, seats, notifier, { now, timeZone: config.defaultTimeZone });
  const admission = new Admission(config.admission, metrics);

  const availability = new Availability(models, hours, now);
  const notices = new CustomerNotices(
    models,
    (id, key, text) => replies.automatic(id, key, text),
    async (inbox) => (await availability.of(inbox)).online,
  );
  const tellEscalated = (id: string, key: string) => notices.escalated(id, key);
  const secondLine = new SecondLine(
    models,
    locks,
    seats,
    router,
    timeline,
    notifier,
    tellEscalated,
    now,
    logger,
  );
  sla.setEscalation({
    returnToQueue: (id, reason) => router.returnToQueue(id, reason),
    dispatch: () => router.dispatch(),
    tellCustomer: (id) => notices.pickupBreach(id),
    secondLine: (id) => secondLine.onBreach(id),
  });

  const ctx = channelContext({
    config,
    logger,
    models,
    redis,
    io,
    notifier,
    delivery,
    attachments,
    ingest,
    admission,
    replies,
    setReachability,
    availability,
    surveys: csat.forChannels,
    contacts: contactDirectory,
    acceptSolution: desk.acceptSolution,
  });

  const inboxes = new InboxRuntime(models, channels, outbound, ctx, logger);
  const INBOX_CHANGED = 'inbox:changed';
  io.on(INBOX_CHANGED, (inboxId: string) => {
    calendars.invalidateInbox(inboxId);
    inboxDirectory.changed(inboxId);
    void inboxes.apply(inboxId).catch(() => undefined); // logged by the runtime
  });

  const life = {
    async changed(inboxId: string) {
      calendars.invalidateInbox(inboxId);
      inboxDirectory.changed(inboxId);
      await inboxes.apply(inboxId);
      // The other gateway processes apply it too (through the Redis adapter).
      io.serverSideEmit(INBOX_CHANGED, inboxId);
    },
    async endSessions(agentId: string) {
      io.of(AGENT_NS).in(rooms.agent(agentId)).disconnectSockets(true);
    },
  };

  mountHttp(web, {
    logger,
    health: healthRouter(db, redis),
    metrics: guardedMetrics(metrics, config.metrics.token),
    attachments: attachments.router(),
    api: [
      ['/auth', authRouter(models, access, seats, [redis, prefix, config.login, audit])],
      [
        '',
        adminRouter(
          models,
          access,
          seats,
          channels,
          life,
          config.routing.defaultCapacity,
          audit,
          config.publicUrl,
        ),
      ],
      ['', uploadsRouter(access, ctx.attachments)],
      ['', classificationRouter(models, access, classification, settings, audit)],
      ['', conversationsRouter(models, access, secondLine)],
      ['', policiesRouter(models, access, policies.defaults, settings, audit)],
      ['', calendarsRouter(models, access, settings, audit)],
      ['', csat.reportRouter(access)],
      ...capabilities.flatMap((c) => (c.api ?? []).map((r): [string, express.Router] => ['', r])),
    ],
    pages: [['/csat', csat.pageRouter], ...capabilities.flatMap((c) => c.pages ?? [])],
    channels: [...channels.values()],
  });

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
    classification,
    secondLine,
    metrics,
    logger,
  });

  mountAgentEvents(io, models, logger, capabilities);

  const routingSweep = new RoutingSweep({
    models,
    locks,
    router,
    presence,
    logger,
    dispatchEveryMs: Math.max(config.sla.sweepIntervalMs, 250),
    safetyEveryMs: config.routing.sweepIntervalMs,
  });
  let url = '';

  async function start(): Promise<string> {
    await bootstrapAdmin(config, models, logger);
    await seedClassification(models);
    await calendars.seedDefault(config.defaultTimeZone);
    for (const c of channels.values()) await c.init(ctx);
    await inboxes.startAll();
    sla.startSweeping();
    for (const c of capabilities) await c.start?.();
    orphans.start();
    routingTimers.process(async (job) => {
      if (job.type === 'offer-expiry') await router.expireOffer(job.conversationId, job.agentId);
      else await presence.graceEnded(job.agentId, job.since);
    });
    routingSweep.start();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    await metricsListener.start();
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
    routingSweep.stop();
    sla.stopSweeping();
    orphans.stop();
    notifier.close();
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await metricsListener.close();
    await inboxes.stop();
    for (const c of channels.values())
      await c.close().catch((err: unknown) => logger.warn({ err }, 'channel close failed'));
    // A Bull queue may wait out its blocking read before it closes: close them side by side.
    // Timers first: a deadline being handled may still queue a message to the customer.
    await Promise.all([timers.close(), routingTimers.close(), ...capabilities.map((c) => c.close?.())]);
    await outbound.close();
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
    classification,
    calendars,
    csat,
    start,
    close,
    get url() {
      return url;
    },
    /** Where this process's metrics are scraped, when it has a listener of its own. */
    get metricsUrl() {
      return metricsListener.url;
    },
  };
}
