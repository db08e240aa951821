/**
 * UploadQuota: how many files and bytes one visitor session may upload per window, counted
 * in Redis so every gateway process shares the allowance. Over it, uploads are refused
 * with `QuotaExceeded` (429 + Retry-After) until the window ends.
 */
import type Redis from 'ioredis';
import { QuotaExceeded } from '../domain/errors';

export interface UploadQuotaLimits {
  count: number;
  bytes: number;
  windowMs: number;
}

export class UploadQuota {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: UploadQuotaLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private window(session: string) {
    const index = Math.floor(this.now() / this.limits.windowMs);
    return {
      key: `${this.prefix}:upload-quota:${session}:${index}`,
      retryAfterMs: (index + 1) * this.limits.windowMs - this.now(),
    };
  }

  /** Reserves one upload of (at most) `declaredBytes`; give it back with `release` if it is not stored. */
  async take(session: string, declaredBytes: number | null): Promise<void> {
    const { key, retryAfterMs } = this.window(session);
    const res = await this.redis
      .multi()
      .hincrby(key, 'count', 1)
      .hget(key, 'bytes')
      .pexpire(key, this.limits.windowMs * 2)
      .exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    const bytes = Number(res?.[1]?.[1] ?? 0);
    if (count > this.limits.count || bytes + (declaredBytes ?? 1) > this.limits.bytes) {
      await this.redis.hincrby(key, 'count', -1);
      throw new QuotaExceeded(
        `Upload limit reached: ${this.limits.count} files or ${Math.floor(this.limits.bytes / 1048576)} MB per ${Math.round(this.limits.windowMs / 60_000)} min; try again later.`,
        retryAfterMs,
      );
    }
  }

  /** Counts the bytes of an upload that was stored. */
  async stored(session: string, bytes: number): Promise<void> {
    await this.redis.hincrby(this.window(session).key, 'bytes', bytes);
  }

  async release(session: string): Promise<void> {
    await this.redis.hincrby(this.window(session).key, 'count', -1);
  }
}
