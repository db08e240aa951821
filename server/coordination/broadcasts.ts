/**
 * Socket.IO's Redis adapter with broadcasts that share a publish. The stock adapter
 * publishes every broadcast on its own: one customer message, which the agents see as
 * `message` and `conversation:updated` and the customer's other tabs as their echo, costs
 * three PUBLISH commands on two namespaces. Here each process collects the broadcasts of
 * one turn of the event loop, over every namespace, and publishes them as one message on
 * a channel of their own; every other process hands each to its namespace's local rooms,
 * in the order they were made. Local sockets get every broadcast at once, as before.
 *
 * Everything else (broadcasts that wait for acknowledgements, `fetchSockets`,
 * `serverSideEmit`, `disconnectSockets`) is the stock adapter's, on its own channels.
 */
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';

type Packet = Parameters<RedisAdapter['broadcast']>[0];
type Options = Parameters<RedisAdapter['broadcast']>[1];
/** A broadcast as it travels: namespace, packet, rooms, rooms excepted, flags. */
type Entry = [string, Packet, string[], string[], Options['flags']];

export function createBatchedAdapter(
  pub: Redis,
  sub: Redis,
  options: Partial<RedisAdapterOptions> & { key: string },
  logger: Logger,
) {
  const channel = `${options.key}-batch#`;
  /** One id per process: a process ignores its own publishes. */
  const uid = randomBytes(6).toString('hex');
  const adapters = new Map<string, BatchedAdapter>();
  /** Each broadcast is encoded when it is made: what its sender changes later is not sent. */
  let pending: Buffer[] = [];
  let parser: RedisAdapter['parser'] | null = null;

  const flush = () => {
    const entries = pending;
    pending = [];
    if (entries.length === 0 || !parser) return;
    pub.publish(channel, parser.encode([uid, entries]) as Buffer).catch((err: unknown) => {
      logger.warn({ err, broadcasts: entries.length }, 'broadcasts to other processes not published');
    });
  };

  const receive = (from: Buffer | string, message: Buffer) => {
    if (String(from) !== channel || !parser) return;
    let decoded: unknown;
    try {
      decoded = parser.decode(message);
    } catch (err) {
      logger.warn({ err }, 'unreadable broadcast batch ignored');
      return;
    }
    if (!Array.isArray(decoded) || decoded[0] === uid || !Array.isArray(decoded[1])) return;
    for (const encoded of decoded[1] as Buffer[]) {
      let entry: Entry;
      try {
        entry = parser.decode(encoded) as Entry;
      } catch (err) {
        logger.warn({ err }, 'unreadable broadcast ignored');
        continue;
      }
      const [nsp, packet, rooms, except, flags] = entry;
      adapters.get(nsp)?.deliver(packet, {
        rooms: new Set(rooms),
        except: new Set(except),
        flags: { ...flags, local: true },
      });
    }
  };

  let subscribed: Promise<unknown> | null = null;
  const subscribe = () => {
    if (subscribed) return;
    sub.on('messageBuffer', receive);
    subscribed = sub.subscribe(channel).catch((err: unknown) => {
      logger.error({ err }, 'subscription to broadcasts from other processes failed');
    });
  };

  class BatchedAdapter extends RedisAdapter {
    constructor(nsp: { name: string }) {
      super(nsp, pub, sub, options);
      parser ??= this.parser;
      adapters.set(nsp.name, this);
      subscribe();
    }

    override broadcast(packet: Packet, opts: Options): void {
      if (!opts.flags?.local && parser) {
        const entry: Entry = [
          this.nsp.name,
          { ...packet, nsp: this.nsp.name },
          [...opts.rooms],
          [...(opts.except ?? [])],
          opts.flags,
        ];
        if (pending.length === 0) setImmediate(flush);
        pending.push(parser.encode(entry) as Buffer);
      }
      this.deliver(packet, opts);
    }

    /** To this process's sockets only. */
    deliver(packet: Packet, opts: Options): void {
      super.broadcast(packet, { ...opts, flags: { ...opts.flags, local: true } });
    }

    override close() {
      if (adapters.get(this.nsp.name) === this) adapters.delete(this.nsp.name);
      return super.close();
    }
  }

  // Socket.IO constructs it with `new` for each namespace.
  return BatchedAdapter;
}
