/**
 * Configuration: the environment is parsed and validated once, here, into a typed
 * Config that the composition root passes down. Nothing else reads process.env.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { RedisOptions } from 'ioredis';
import { timeZone } from './calendar/spec';
import { redisTarget } from './coordination/redis-target';
import { Keyring, KeyringError, developmentKeyring, parseKeys } from './privacy/keyring';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  MONGO_URL: z.string().min(1).default('mongodb://127.0.0.1:27117/switchboard'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6479'),
  REDIS_PREFIX: z.string().min(1).default('sb'),
  REDIS_SENTINELS: z.string().optional(),
  REDIS_SENTINEL_MASTER: z.string().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters'),
  AGENT_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: count(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: count(50),
  LOGIN_LOCKOUT_S: count(900),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx): boolean | number | string[] => {
      if (['false', '0', 'no', ''].includes(v)) return false;
      if (['true', 'yes'].includes(v)) return true;
      if (/^[1-9]\d*$/.test(v)) return Number(v);
      const list = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (list.some((x) => !/^[0-9a-f.:/]+$|^(loopback|linklocal|uniquelocal)$/i.test(x))) {
        ctx.addIssue({
          code: 'custom',
          message: 'TRUST_PROXY: false, true, a hop count, or addresses/subnets',
        });
        return z.NEVER;
      }
      return list;
    }),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  ADMIN_NAME: z.string().min(1).default('Administrator'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLA_PICKUP_TARGET_MS: ms(5 * 60_000),
  SLA_REPLY_TARGET_MS: ms(20_000),
  SLA_EMAIL_PICKUP_TARGET_MS: ms(4 * 3600_000),
  SLA_EMAIL_REPLY_TARGET_MS: ms(24 * 3600_000),
  SLA_SOCIAL_REPLY_TARGET_MS: ms(2 * 3600_000),
  SLA_RESOLUTION_TARGET_MS: ms(24 * 3600_000),
  SLA_URGENT_RESOLUTION_TARGET_MS: ms(2 * 3600_000),
  SLA_RETURNS_RESOLUTION_TARGET_MS: ms(48 * 3600_000),
  SLA_ESCALATION_TARGET_MS: ms(2 * 3600_000),
  SLA_COMPLAINT_ACKNOWLEDGEMENT_TARGET_MS: ms(3600_000),
  SLA_COMPLAINT_SOLUTION_TARGET_MS: ms(48 * 3600_000),
  SLA_COMPLAINT_FOLLOW_UP_TARGET_MS: ms(72 * 3600_000),
  SLA_WARN_RATIO: z.coerce.number().gt(0).lt(1).default(0.75),
  SLA_SWEEP_INTERVAL_MS: ms(500),
  CACHE_MAX_AGE_MS: ms(10_000),
  SLA_REPLY_BREACHES_BEFORE_REQUEUE: z.coerce.number().int().positive().default(2),
  OFFER_TIMEOUT_MS: ms(30_000),
  ROUTING_SWEEP_INTERVAL_MS: ms(5_000),
  AGENT_OFFLINE_GRACE_MS: ms(60_000),
  ROUTING_SKILL_WAIT_MS: ms(60_000),
  ROUTING_VIP_WAIT_MS: ms(30_000),
  SHIFT_CHECK_INTERVAL_MS: ms(15_000),
  ASSIGNMENT_STRATEGY: z.enum(['least-busy', 'round-robin']).default('least-busy'),
  DEFAULT_AGENT_CAPACITY: z.coerce.number().int().positive().default(5),
  REOPEN_WINDOW_MS: ms(7 * 24 * 3600_000),
  CHANNEL_LEASE_MS: ms(15_000),
  WEBCHAT_SESSION_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(9464),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  MAX_MESSAGE_LENGTH: z.coerce.number().int().positive().default(10_000),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  DEFAULT_TIME_ZONE: timeZone.default('Asia/Shanghai'),
  MONGO_MAX_POOL_SIZE: count(20),
  INGEST_MAX_IN_FLIGHT: count(12),
  INGEST_MAX_WAITING: z.coerce.number().int().min(0).default(500),
  BUSY_RETRY_AFTER_MS: ms(2000),
  WEBCHAT_MAX_SENDS_PER_SOCKET: count(4),
  UPLOAD_QUOTA_FILES: count(20),
  UPLOAD_QUOTA_BYTES: count(50 * 1024 * 1024),
  UPLOAD_QUOTA_WINDOW_S: count(3600),
  UPLOAD_ORPHAN_TTL_S: count(24 * 3600),
  UPLOAD_SWEEP_INTERVAL_MS: ms(60_000),
  CSAT_ENABLED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default('true')
    .transform((v) => ['true', '1', 'yes'].includes(v)),
  CSAT_LINK_TTL_S: count(7 * 24 * 3600),
  SEARCH_INDEX_DELAY_MS: ms(1000),
  QUALITY_SAMPLE_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  QUALITY_SAMPLE_SEED: z.string().min(1).default('switchboard'),
  QUALITY_SWEEP_INTERVAL_MS: ms(10 * 60_000),
  NODE_ENV: z.string().default('development'),
  DATA_KEYS: z.string().optional(),
  DATA_KEY_ID: z.string().optional(),
  DATA_INDEX_KEY: z.string().optional(),
  RETENTION_RESOLVED_DAYS: z.coerce.number().min(0).default(0),
  RETENTION_SWEEP_INTERVAL_MS: ms(3600_000),
});

export interface SlaDefaults {
  pickupTargetMs: number;
  replyTargetMs: number;
  emailPickupTargetMs: number;
  emailReplyTargetMs: number;
  /** Telegram (social) reply target. */
  socialReplyTargetMs: number;
  resolutionTargetMs: number;
  urgentResolutionTargetMs: number;
  returnsResolutionTargetMs: number;
  /** First line → second line. */
  escalationTargetMs: number;
  complaintAcknowledgementTargetMs: number;
  complaintSolutionTargetMs: number;
  complaintFollowUpTargetMs: number;
  warnRatio: number;
  sweepIntervalMs: number;
  replyBreachesBeforeRequeue: number;
}

export interface Config {
  host: string;
  port: number;
  publicUrl: string | undefined;
  mongoUrl: string;
  redisUrl: string;
  /** How every Redis connection is made: REDIS_URL, or the master Sentinel names. */
  redis: RedisOptions;
  redisPrefix: string;
  /** How long a process keeps its copies of contacts, policy rules, categories and tiers before reading them again. */
  cacheMaxAgeMs: number;
  authSecret: string;
  agentTokenTtlS: number;
  /** Failed sign-ins allowed per account and per client address before a lockout of `lockoutS`. */
  login: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; lockoutS: number };
  /** Express `trust proxy`: which proxies' X-Forwarded-* headers say who the client is. */
  trustProxy: boolean | number | string[];
  admin: { email: string; password: string; name: string } | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  sla: SlaDefaults;
  routing: {
    offerTimeoutMs: number;
    offlineGraceMs: number;
    strategy: 'least-busy' | 'round-robin';
    defaultCapacity: number;
    reopenWindowMs: number;
    /** How long a category's conversations wait for an agent with its skill before the whole team is offered them. */
    skillWaitMs: number;
    /** How long a VIP's conversation waits for a seat of their dedicated agent (online but full). */
    vipWaitMs: number;
    /** How often offers past expiry, agents past their offline grace and stranded seats are looked for (their timers act first). */
    sweepIntervalMs: number;
  };
  /** How often shift starts and ends are looked for (presence, handovers). */
  shiftCheckIntervalMs: number;
  webchat: {
    sessionTtlS: number;
    /** Sends one visitor socket may have in progress; more are answered `busy`. */
    maxSendsPerSocket: number;
    uploadQuota: { count: number; bytes: number; windowMs: number };
  };
  /** Connections of the gateway's database pool; more than `admission.maxInFlight`, so SLA work finds one. */
  mongoMaxPoolSize: number;
  /** Inbound messages being ingested at once, all channels; up to `maxWaiting` more wait, and past that `busy` / 503. */
  admission: { maxInFlight: number; maxWaiting: number; retryAfterMs: number };
  uploads: { orphanTtlMs: number; sweepIntervalMs: number };
  /** How long a process's hold on a bot's poller or a mailbox lasts without renewal (takeover time after a crash). */
  channelLeaseMs: number;
  maxMessageLength: number;
  attachmentMaxBytes: number;
  /** Prometheus: a loopback listener of its own (port null: none), and the main port's `/metrics` behind a token. */
  metrics: { host: string; port: number | null; token: string | undefined };
  /** IANA zone of the standard calendar seeded when there is none. */
  defaultTimeZone: string;
  /** Satisfaction surveys after every resolution (inboxes may override), and how long one takes answers. */
  csat: { enabled: boolean; ttlS: number };
  /** Stored messages are written to the search index in batches, at most this long after they are stored. */
  search: { indexDelayMs: number };
  /** Quality inspection: the share of each agent's resolved conversations drawn per week, its seed, the sweep's period. */
  quality: { sampleShare: number; sampleSeed: string; sweepIntervalMs: number };
  /** Keys that seal customer data at rest (the development keyring when none are set outside production). */
  keyring: Keyring;
  /** Resolved conversations older than `resolvedMs` are deleted (0: kept forever), swept every `sweepIntervalMs`. */
  retention: { resolvedMs: number; sweepIntervalMs: number };
}

/** DATA_KEYS / DATA_KEY_ID / DATA_INDEX_KEY into a keyring; production refuses to run without them. */
function keyringOf(e: z.infer<typeof EnvSchema>): Keyring {
  if (!e.DATA_KEYS && !e.DATA_INDEX_KEY && !e.DATA_KEY_ID) {
    if (e.NODE_ENV === 'production')
      throw new ConfigError(
        'invalid configuration: set DATA_KEYS, DATA_KEY_ID and DATA_INDEX_KEY: customer data is encrypted at rest and production has no default keys',
      );
    return developmentKeyring();
  }
  if (!e.DATA_KEYS || !e.DATA_INDEX_KEY)
    throw new ConfigError(
      'invalid configuration: set DATA_KEYS and DATA_INDEX_KEY together (and DATA_KEY_ID when DATA_KEYS lists several)',
    );
  try {
    const keys = parseKeys(e.DATA_KEYS);
    const activeId = e.DATA_KEY_ID ?? (keys.size === 1 ? [...keys.keys()][0]! : undefined);
    if (!activeId)
      throw new KeyringError('DATA_KEY_ID must name the active key when DATA_KEYS lists several');
    return new Keyring({ keys, activeId, indexKey: Buffer.from(e.DATA_INDEX_KEY, 'base64') });
  } catch (err) {
    if (err instanceof KeyringError) throw new ConfigError(`invalid configuration: ${err.message}`);
    throw err;
  }
}

export class ConfigError extends Error {}

/**
 * The variables of a dotenv file (such as a copy of `.env.example`), or none when there is
 * no such file. Callers put the process environment over them, so a variable set in the
 * environment wins over the file.
 */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseEnv(text) as Record<string, string>;
}

/** Parses an environment (process.env in production, a literal object in tests). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in a copied .env.example.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${reasons}`);
  }
  const e = parsed.data;
  if (e.MONGO_MAX_POOL_SIZE <= e.INGEST_MAX_IN_FLIGHT) {
    throw new ConfigError(
      'invalid configuration: MONGO_MAX_POOL_SIZE must be larger than INGEST_MAX_IN_FLIGHT, so the SLA engine and agents always find a database connection',
    );
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('invalid configuration: set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither');
  }
  let redis: RedisOptions;
  try {
    redis = redisTarget({
      url: e.REDIS_URL,
      sentinels: e.REDIS_SENTINELS,
      sentinelMaster: e.REDIS_SENTINEL_MASTER,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
    });
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
  }
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    mongoUrl: e.MONGO_URL,
    redisUrl: e.REDIS_URL,
    redis,
    redisPrefix: e.REDIS_PREFIX,
    authSecret: e.AUTH_SECRET,
    keyring: keyringOf(e),
    retention: {
      resolvedMs: Math.round(e.RETENTION_RESOLVED_DAYS * 24 * 3600_000),
      sweepIntervalMs: e.RETENTION_SWEEP_INTERVAL_MS,
    },
    agentTokenTtlS: e.AGENT_TOKEN_TTL_S,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockoutS: e.LOGIN_LOCKOUT_S,
    },
    trustProxy: e.TRUST_PROXY,
    admin:
      e.ADMIN_EMAIL && e.ADMIN_PASSWORD
        ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME }
        : undefined,
    cacheMaxAgeMs: e.CACHE_MAX_AGE_MS,
    logLevel: e.LOG_LEVEL,
    sla: {
      pickupTargetMs: e.SLA_PICKUP_TARGET_MS,
      replyTargetMs: e.SLA_REPLY_TARGET_MS,
      emailPickupTargetMs: e.SLA_EMAIL_PICKUP_TARGET_MS,
      emailReplyTargetMs: e.SLA_EMAIL_REPLY_TARGET_MS,
      socialReplyTargetMs: e.SLA_SOCIAL_REPLY_TARGET_MS,
      resolutionTargetMs: e.SLA_RESOLUTION_TARGET_MS,
      urgentResolutionTargetMs: e.SLA_URGENT_RESOLUTION_TARGET_MS,
      returnsResolutionTargetMs: e.SLA_RETURNS_RESOLUTION_TARGET_MS,
      escalationTargetMs: e.SLA_ESCALATION_TARGET_MS,
      complaintAcknowledgementTargetMs: e.SLA_COMPLAINT_ACKNOWLEDGEMENT_TARGET_MS,
      complaintSolutionTargetMs: e.SLA_COMPLAINT_SOLUTION_TARGET_MS,
      complaintFollowUpTargetMs: e.SLA_COMPLAINT_FOLLOW_UP_TARGET_MS,
      warnRatio: e.SLA_WARN_RATIO,
      sweepIntervalMs: e.SLA_SWEEP_INTERVAL_MS,
      replyBreachesBeforeRequeue: e.SLA_REPLY_BREACHES_BEFORE_REQUEUE,
    },
    routing: {
      offerTimeoutMs: e.OFFER_TIMEOUT_MS,
      offlineGraceMs: e.AGENT_OFFLINE_GRACE_MS,
      strategy: e.ASSIGNMENT_STRATEGY,
      defaultCapacity: e.DEFAULT_AGENT_CAPACITY,
      reopenWindowMs: e.REOPEN_WINDOW_MS,
      skillWaitMs: e.ROUTING_SKILL_WAIT_MS,
      vipWaitMs: e.ROUTING_VIP_WAIT_MS,
      sweepIntervalMs: e.ROUTING_SWEEP_INTERVAL_MS,
    },
    shiftCheckIntervalMs: e.SHIFT_CHECK_INTERVAL_MS,
    webchat: {
      sessionTtlS: e.WEBCHAT_SESSION_TTL_S,
      maxSendsPerSocket: e.WEBCHAT_MAX_SENDS_PER_SOCKET,
      uploadQuota: {
        count: e.UPLOAD_QUOTA_FILES,
        bytes: e.UPLOAD_QUOTA_BYTES,
        windowMs: e.UPLOAD_QUOTA_WINDOW_S * 1000,
      },
    },
    mongoMaxPoolSize: e.MONGO_MAX_POOL_SIZE,
    admission: {
      maxInFlight: e.INGEST_MAX_IN_FLIGHT,
      maxWaiting: e.INGEST_MAX_WAITING,
      retryAfterMs: e.BUSY_RETRY_AFTER_MS,
    },
    uploads: { orphanTtlMs: e.UPLOAD_ORPHAN_TTL_S * 1000, sweepIntervalMs: e.UPLOAD_SWEEP_INTERVAL_MS },
    channelLeaseMs: e.CHANNEL_LEASE_MS,
    maxMessageLength: e.MAX_MESSAGE_LENGTH,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    metrics: {
      host: e.METRICS_HOST,
      port: e.METRICS_PORT === 'off' ? null : e.METRICS_PORT,
      token: e.METRICS_TOKEN,
    },
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    csat: { enabled: e.CSAT_ENABLED, ttlS: e.CSAT_LINK_TTL_S },
    search: { indexDelayMs: e.SEARCH_INDEX_DELAY_MS },
    quality: {
      sampleShare: e.QUALITY_SAMPLE_SHARE,
      sampleSeed: e.QUALITY_SAMPLE_SEED,
      sweepIntervalMs: e.QUALITY_SWEEP_INTERVAL_MS,
    },
  };
}
