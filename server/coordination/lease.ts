/**
 * A lease in Redis that one gateway process holds at a time (a Telegram bot's poller, a
 * mailbox's IMAP watcher): taken with SET NX PX, renewed and released only by its holder
 * (compare-and-set in Lua), and free for another process once its holder stops renewing
 * and it expires.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class Lease {
  private readonly holder = randomUUID();
  private renewal: NodeJS.Timeout | null = null;
  /** Whether this process holds the lease (as far as it knows: renewals keep it current). */
  held = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lease if it is free (or already ours, which renews it). */
  async acquire(): Promise<boolean> {
    const taken = await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX');
    return taken === 'OK' || (await this.renew());
  }

  /** Extends our lease; false when it expired and perhaps belongs to someone else now. */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs))) === 1;
  }

  /**
   * Takes the lease (or keeps it when already held) and renews it every third of its
   * lifetime; if it slips away, `held` turns false and `onLost` is called once.
   */
  async hold(onLost: () => void): Promise<boolean> {
    if (this.held) return true;
    this.held = await this.acquire().catch(() => false);
    if (!this.held) return false;
    this.stopKeeping();
    this.renewal = setInterval(() => {
      this.renew()
        .catch(() => false)
        .then((ok) => {
          if (ok || !this.renewal) return;
          this.stopKeeping();
          this.held = false;
          onLost();
        })
        .catch(() => undefined);
    }, this.ttlMs / 3);
    this.renewal.unref();
    return true;
  }

  private stopKeeping(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
  }

  /** Stops renewing and lets the lease go now. */
  async release(): Promise<void> {
    this.stopKeeping();
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }
}
