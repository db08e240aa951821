/**
 * LoginGuard: failed sign-ins are counted per account and per client address in Redis
 * (shared by every gateway process); past the limit, further attempts are refused with
 * 429 until the lockout has run out. Failures and lockouts go to the staff audit log.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StaffAudit } from '../audit/log';
import type { Config } from '../config';
import { DomainError } from '../domain/errors';

export class TooManySignIns extends DomainError {
  constructor(reason: 'account' | 'address', retryAfterMs: number) {
    super(
      'too_many_attempts',
      reason === 'account'
        ? 'Too many failed sign-ins for this account; try again later.'
        : 'Too many failed sign-ins from your address; try again later.',
      429,
      { reason, retryAfterMs },
    );
  }
}

type Limits = Config['login'];

export class LoginGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: Limits,
    private readonly audit: StaffAudit,
  ) {}

  // Emails are keyed by digest: the Redis keys do not list who tried to sign in.
  private keys(email: string, address: string) {
    const digest = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    return {
      account: `${this.prefix}:login:fail:account:${digest}`,
      address: `${this.prefix}:login:fail:address:${address}`,
    };
  }

  /** Refuses (429) while the account or the address is locked out. */
  async check(email: string, address: string): Promise<void> {
    const k = this.keys(email, address);
    const [acc, accTtl, adr, adrTtl] = results(
      await this.redis.multi().get(k.account).pttl(k.account).get(k.address).pttl(k.address).exec(),
    );
    if (Number(acc ?? 0) >= this.limits.maxFailuresPerAccount)
      throw new TooManySignIns('account', Math.max(1000, Number(accTtl)));
    if (Number(adr ?? 0) >= this.limits.maxFailuresPerAddress)
      throw new TooManySignIns('address', Math.max(1000, Number(adrTtl)));
  }

  /** Counts a failure; the one that reaches a limit starts the lockout and is audited as such. */
  async failed(email: string, address: string, agentId: string | null): Promise<void> {
    const k = this.keys(email, address);
    const ttl = this.limits.lockoutS * 1000;
    const [acc, , adr] = results(
      await this.redis
        .multi()
        .incr(k.account)
        .pexpire(k.account, ttl)
        .incr(k.address)
        .pexpire(k.address, ttl)
        .exec(),
    );
    await this.audit.record({
      actorId: null,
      action: 'auth.login_failed',
      target: agentId ? { kind: 'agent', id: agentId } : null,
      ip: address,
      details: { knownAccount: agentId !== null },
    });
    const lockedAccount = Number(acc) === this.limits.maxFailuresPerAccount;
    const lockedAddress = Number(adr) === this.limits.maxFailuresPerAddress;
    if (lockedAccount || lockedAddress)
      await this.audit.record({
        actorId: null,
        action: 'auth.locked_out',
        target: lockedAccount && agentId ? { kind: 'agent', id: agentId } : null,
        ip: address,
        details: { reason: lockedAccount ? 'account' : 'address', lockoutS: this.limits.lockoutS },
      });
  }

  /** A successful sign-in clears the account's count (not the address's: one account must not clear it for others). */
  async succeeded(email: string, address: string, agentId: string): Promise<void> {
    await this.redis.del(this.keys(email, address).account);
    await this.audit.record({
      actorId: agentId,
      action: 'auth.login',
      target: { kind: 'agent', id: agentId },
      ip: address,
    });
  }
}

/** A transaction's replies as numbers; a failed command fails the sign-in (the error handler answers it). */
function results(replies: [Error | null, unknown][] | null): number[] {
  if (!replies) throw new Error('the sign-in counters could not be read');
  return replies.map(([err, v]) => {
    if (err) throw err;
    return Number(v ?? 0);
  });
}
