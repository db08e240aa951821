/**
 * Counts what one operation costs: the database commands the gateway sends (the driver's
 * command monitoring) and the Redis commands of every ioredis client in this process,
 * from the operation's start until the gateway has been quiet for a moment.
 */
import Redis from 'ioredis';

const IDLE_WAITS = new Set(['brpoplpush', 'bzpopmin', 'brpop', 'blmove']);

export interface Cost {
  db: number;
  redis: number;
  dbCommands: string[];
  redisCommands: string[];
}

export class CommandCounter {
  private db: string[] = [];
  private redis: string[] = [];
  private lastAt = Date.now();
  private readonly original = Redis.prototype.sendCommand;

  /** Pass to `startGateway({ onDatabaseCommand })`. */
  readonly onDatabaseCommand = (name: string) => {
    this.db.push(name);
    this.lastAt = Date.now();
  };

  install(): void {
    const record = (name: string) => {
      // A queue worker's blocking wait for its next job is idleness, not work of an operation.
      if (IDLE_WAITS.has(name)) return;
      this.redis.push(name);
      this.lastAt = Date.now();
    };
    const original = this.original;
    Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
      record(args[0].name);
      return original.apply(this, args);
    } as Redis['sendCommand'];
  }

  uninstall(): void {
    Redis.prototype.sendCommand = this.original;
  }

  /** Runs `op` and counts until nothing was sent for `quietMs`. */
  async cost(op: () => Promise<unknown>, quietMs = 400): Promise<Cost> {
    await this.quiet(quietMs);
    this.db = [];
    this.redis = [];
    await op();
    await this.quiet(quietMs);
    return {
      db: this.db.length,
      redis: this.redis.length,
      dbCommands: [...this.db],
      redisCommands: [...this.redis],
    };
  }

  private async quiet(ms: number): Promise<void> {
    this.lastAt = Date.now();
    while (Date.now() - this.lastAt < ms) await new Promise((r) => setTimeout(r, 50));
  }
}
