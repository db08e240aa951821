/**
 * PolicyStore: the enabled rules, read once per interval rather than at every clock start
 * (a saved rule is dropped on every process at once, see cache/changes.ts; `ttlMs` bounds
 * what a lost broadcast leaves stale), and the resolution of a conversation's policy
 * against them.
 */
import { Cached } from '../cache/cached';
import type { SlaPolicy } from '../domain/inbox';
import type { Models } from '../domain/models';
import type { PolicyRuleDoc } from './model';
import { resolvePolicy, type PolicySubject, type ResolvedPolicy, type RuleLike } from './resolve';

export const ruleLike = (r: PolicyRuleDoc): RuleLike => ({ ...r, id: String(r._id) });

export class PolicyStore {
  private readonly cached: Cached<RuleLike[]>;

  constructor(
    private readonly models: Models,
    readonly defaults: readonly RuleLike[],
    now: () => Date,
    ttlMs = 10_000,
  ) {
    this.cached = new Cached<RuleLike[]>(ttlMs, 1, () => now().getTime());
  }

  /** A rule changed: the next use reads them again (a read already under way is not kept). */
  invalidate(): void {
    this.cached.clear();
  }

  rules(): Promise<RuleLike[]> {
    return this.cached.get('enabled', async () =>
      (await this.models.PolicyRule.find({ enabled: true }).sort({ order: 1 }).lean<PolicyRuleDoc[]>()).map(
        ruleLike,
      ),
    );
  }

  async resolve(subject: PolicySubject, inboxSla: SlaPolicy): Promise<ResolvedPolicy> {
    return resolvePolicy(subject, await this.rules(), inboxSla, this.defaults);
  }
}
