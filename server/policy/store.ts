/**
 * PolicyStore: the enabled rules, read once per interval rather than at every clock start
 * (a change made on another gateway process applies within `ttlMs`, 10 s; on this one at
 * once), and the resolution of a conversation's policy against them.
 */
import type { SlaPolicy } from '../domain/inbox';
import type { Models } from '../domain/models';
import type { PolicyRuleDoc } from './model';
import { resolvePolicy, type PolicySubject, type ResolvedPolicy, type RuleLike } from './resolve';

export const ruleLike = (r: PolicyRuleDoc): RuleLike => ({ ...r, id: String(r._id) });

export class PolicyStore {
  private cached: { at: number; rules: RuleLike[] } | null = null;

  constructor(
    private readonly models: Models,
    readonly defaults: readonly RuleLike[],
    private readonly now: () => Date,
    private readonly ttlMs = 10_000,
  ) {}

  invalidate(): void {
    this.cached = null;
  }

  async rules(): Promise<RuleLike[]> {
    const t = this.now().getTime();
    if (this.cached && t - this.cached.at < this.ttlMs) return this.cached.rules;
    const docs = await this.models.PolicyRule.find({ enabled: true })
      .sort({ order: 1 })
      .lean<PolicyRuleDoc[]>();
    this.cached = { at: t, rules: docs.map(ruleLike) };
    return this.cached.rules;
  }

  async resolve(subject: PolicySubject, inboxSla: SlaPolicy): Promise<ResolvedPolicy> {
    return resolvePolicy(subject, await this.rules(), inboxSla, this.defaults);
  }
}
