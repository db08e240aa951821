/**
 * Where Redis is: one server from REDIS_URL, or the master that Sentinel names
 * (REDIS_SENTINELS, REDIS_SENTINEL_MASTER), as the ioredis options every connection, Bull
 * queue and the Socket.IO adapter are built from. With Sentinel, REDIS_URL still gives the
 * data nodes' user name, password, database number and TLS.
 */
import type { RedisOptions } from 'ioredis';

export interface RedisTargetInput {
  url: string;
  sentinels?: string;
  sentinelMaster?: string;
  sentinelPassword?: string;
}

/** Parses `host:port,host:port` (IPv6 in brackets); throws on a malformed entry. */
export function parseSentinels(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(s);
      const port = Number(m?.[2] ?? 26379);
      if (!m || port < 1 || port > 65535) throw new Error(`"${s}" is not host:port`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
}

export function redisTarget(i: RedisTargetInput): RedisOptions {
  const u = new URL(i.url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error('REDIS_URL must be redis:// or rediss://');
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new Error('the database number in REDIS_URL must be a whole number');
  const auth: RedisOptions = {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
  if (!i.sentinels)
    return { ...auth, host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) };
  if (!i.sentinelMaster) throw new Error('REDIS_SENTINEL_MASTER names the master that REDIS_SENTINELS watch');
  const sentinels = parseSentinels(i.sentinels);
  if (sentinels.length === 0) throw new Error('REDIS_SENTINELS lists no sentinel');
  return {
    ...auth,
    sentinels,
    name: i.sentinelMaster,
    sentinelPassword: i.sentinelPassword,
    // On a failover the old master drops its clients as it becomes a replica; each
    // connection then asks the sentinels again and reconnects to the promoted one.
  };
}
