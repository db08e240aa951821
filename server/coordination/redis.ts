/**
 * Redis connections: every one the gateway opens has an error handler from the moment it
 * exists (a connection error is logged and retried, never an unhandled 'error' event), and
 * a subscriber is handed out only once it is ready, so its SUBSCRIBE commands can never
 * race the client's own start-up checks.
 */
import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** How often one connection's repeated errors are logged while it keeps failing. */
const LOG_EVERY_MS = 10_000;

export function redisConnection(
  target: RedisOptions,
  name: string,
  logger: Logger,
  options: RedisOptions = {},
): Redis {
  const client = new Redis({ ...target, ...options, connectionName: name });
  watch(client, name, logger);
  return client;
}

/**
 * A connection for the Socket.IO adapter's subscriptions. ioredis runs INFO (its ready
 * check) when it connects; a SUBSCRIBE sent before that check has finished puts the
 * connection in subscriber mode and the check then fails with "Connection in subscriber
 * mode". Waiting for 'ready' first removes the race.
 */
export async function subscriberConnection(
  target: RedisOptions,
  name: string,
  logger: Logger,
): Promise<Redis> {
  const client = redisConnection(target, name, logger);
  await ready(client);
  return client;
}

/** Resolves once the connection is ready; rejects if it ends before that. */
export function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off('ready', onReady);
      reject(new Error('Redis connection closed before it was ready'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

function watch(client: Redis, name: string, logger: Logger): void {
  let lastLogged = 0;
  let suppressed = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLogged < LOG_EVERY_MS) {
      suppressed++;
      return;
    }
    logger.error({ err, connection: name, suppressed }, 'redis connection error');
    lastLogged = now;
    suppressed = 0;
  });
  client.on('ready', () => {
    if (lastLogged) logger.info({ connection: name }, 'redis connection ready again');
    lastLogged = 0;
  });
}
