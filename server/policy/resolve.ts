/**
 * Resolves a conversation's policy, clock by clock: the first enabled matching rule that
 * sets the clock, else the inbox's own pickup/reply target, else the built-in default
 * policy (whose rules are tried the same way). Pure: rules and the subject are passed in.
 */
import type { SlaPolicy } from '../domain/inbox';
import { TARGET_KINDS, type ChannelKind, type Priority, type TargetKind } from '../domain/types';
import type { PolicyMatch, PolicyTargets } from './model';

/** What a rule matches on. */
export interface PolicySubject {
  inboxId: string;
  channel: ChannelKind;
  priority: Priority;
  category: string | null;
  vip: boolean;
}

/** A rule as the resolver reads it (a stored rule or one of the built-in defaults). */
export interface RuleLike {
  id: string;
  name: string;
  order: number;
  enabled: boolean;
  match: Omit<PolicyMatch, 'inboxIds'> & { inboxIds: readonly unknown[] };
  targets: PolicyTargets;
}

export interface ResolvedTarget {
  ms: number;
  businessHours: boolean;
  /** Where it came from: a rule id, `inbox`, or `default:<rule name>`. */
  source: string;
  /** The rule's name, for people reading the timeline. */
  rule: string;
}

export type ResolvedPolicy = Record<TargetKind, ResolvedTarget | null>;

export function matches(m: RuleLike['match'], s: PolicySubject): boolean {
  if (m.inboxIds.length > 0 && !m.inboxIds.some((id) => String(id) === s.inboxId)) return false;
  if (m.channels.length > 0 && !m.channels.includes(s.channel)) return false;
  if (m.priorities.length > 0 && !m.priorities.includes(s.priority)) return false;
  if (m.categories.length > 0 && (s.category === null || !m.categories.includes(s.category))) return false;
  if (m.vip !== null && m.vip !== s.vip) return false;
  return true;
}

function firstRule(
  kind: TargetKind,
  rules: readonly RuleLike[],
  s: PolicySubject,
  source: (r: RuleLike) => string,
): ResolvedTarget | null {
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.order - b.order);
  for (const r of ordered) {
    const t = r.targets[kind];
    if (t && matches(r.match, s))
      return { ms: t.ms, businessHours: t.businessHours, source: source(r), rule: r.name };
  }
  return null;
}

function inboxTarget(kind: TargetKind, sla: SlaPolicy): ResolvedTarget | null {
  const own = kind === 'pickup' ? sla.pickupTargetMs : kind === 'reply' ? sla.replyTargetMs : undefined;
  return own ? { ms: own, businessHours: false, source: 'inbox', rule: 'inbox' } : null;
}

export function resolvePolicy(
  s: PolicySubject,
  rules: readonly RuleLike[],
  inboxSla: SlaPolicy,
  defaults: readonly RuleLike[],
): ResolvedPolicy {
  const out = {} as ResolvedPolicy;
  for (const kind of TARGET_KINDS) {
    out[kind] =
      firstRule(kind, rules, s, (r) => r.id) ??
      inboxTarget(kind, inboxSla) ??
      firstRule(kind, defaults, s, (r) => r.id);
  }
  return out;
}

/** A stable text of the resolved policy: a change of it is recorded on the timeline once. */
export function policyDigest(p: ResolvedPolicy): string {
  return TARGET_KINDS.map((k) => {
    const t = p[k];
    return t ? `${k}=${t.ms}${t.businessHours ? 'b' : 'c'}@${t.source}` : `${k}=-`;
  }).join(';');
}
