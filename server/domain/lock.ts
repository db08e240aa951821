/**
 * ConversationLocks: a short Redis lease per conversation that serialises state
 * transitions (ingest, accept, reply, transfer, breach) across every gateway process.
 * MongoDB's single-document updates are atomic, but FerretDB applies an update as a
 * read and a whole-document write, so two concurrent transitions could lose one; the
 * lease makes both backends behave the same. Re-entrant within one async call chain.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { Busy } from './errors';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class ConversationLocks {
  private readonly held = new AsyncLocalStorage<Set<string>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs = 10_000,
    private readonly waitMs = 8_000,
  ) {}

  async run<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const mine = this.held.getStore();
    if (mine?.has(conversationId)) return fn();
    const key = `${this.prefix}:lock:conversation:${conversationId}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    while ((await this.redis.set(key, token, 'PX', this.leaseMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Busy();
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    const set = new Set(mine ?? []);
    set.add(conversationId);
    try {
      return await this.held.run(set, fn);
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
  }
}
