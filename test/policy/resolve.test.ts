/** The policy resolver: per clock, the first enabled matching rule, then the inbox's own target, then the handbook default. */
import { loadConfig } from '../../server/config';
import { defaultPolicy } from '../../server/policy/defaults';
import { policyDigest, resolvePolicy, type PolicySubject, type RuleLike } from '../../server/policy/resolve';

const sla = loadConfig({ AUTH_SECRET: 'x'.repeat(32) }).sla;
const defaults = defaultPolicy(sla);
const subject = (over: Partial<PolicySubject> = {}): PolicySubject => ({
  inboxId: 'inbox-1',
  channel: 'webchat',
  priority: 1,
  category: null,
  vip: false,
  ...over,
});
const any = { inboxIds: [], channels: [], priorities: [], categories: [], vip: null };
const rule = (over: Partial<RuleLike>): RuleLike => ({
  id: 'r',
  name: 'rule',
  order: 1,
  enabled: true,
  match: any,
  targets: {},
  ...over,
});
const H = 3600_000;

describe('the handbook default policy', () => {
  it('gives live channels pickup in 5 minutes and reply in 20 seconds', () => {
    for (const channel of ['webchat', 'sms'] as const) {
      const p = resolvePolicy(subject({ channel }), [], {}, defaults);
      expect(p.pickup).toMatchObject({ ms: 5 * 60_000, businessHours: false, source: 'default:general' });
      expect(p.reply?.ms).toBe(20_000);
    }
  });
  it('gives email acknowledgement in 4 hours and an answer in 24 hours', () => {
    const p = resolvePolicy(subject({ channel: 'email' }), [], {}, defaults);
    expect([p.pickup?.ms, p.reply?.ms]).toEqual([4 * H, 24 * H]);
    expect(p.pickup?.source).toBe('default:email');
  });
  it('gives Telegram a reply in 2 hours and pickup as live channels', () => {
    const p = resolvePolicy(subject({ channel: 'telegram' }), [], {}, defaults);
    expect([p.pickup?.ms, p.reply?.ms]).toEqual([5 * 60_000, 2 * H]);
  });
  it('resolves in 24 hours, urgent in 2, returns in 48', () => {
    expect(resolvePolicy(subject(), [], {}, defaults).resolution?.ms).toBe(24 * H);
    expect(resolvePolicy(subject({ priority: 3 }), [], {}, defaults).resolution?.ms).toBe(2 * H);
    expect(resolvePolicy(subject({ category: 'returns' }), [], {}, defaults).resolution?.ms).toBe(48 * H);
  });
  it('escalates after 2 hours and holds the complaint deadlines of 1, 48 and 72 hours', () => {
    const p = resolvePolicy(subject(), [], {}, defaults);
    expect(p.escalation?.ms).toBe(2 * H);
    expect([p.complaint_acknowledgement?.ms, p.complaint_solution?.ms, p.complaint_follow_up?.ms]).toEqual([
      H,
      48 * H,
      72 * H,
    ]);
  });
});

describe('inbox targets', () => {
  it('override the default for pickup and reply only', () => {
    const p = resolvePolicy(subject({ channel: 'email' }), [], { replyTargetMs: H }, defaults);
    expect(p.reply).toMatchObject({ ms: H, source: 'inbox' });
    expect(p.pickup?.ms).toBe(4 * H);
    expect(p.resolution?.source).toBe('default:general');
  });
});

describe('rules', () => {
  it('win over the inbox and the default for the clocks they set, and leave the others alone', () => {
    const vip = rule({
      id: 'vip',
      match: { ...any, vip: true },
      targets: { pickup: { ms: 60_000, businessHours: true } },
    });
    const p = resolvePolicy(subject({ vip: true }), [vip], { pickupTargetMs: 1, replyTargetMs: 2 }, defaults);
    expect(p.pickup).toEqual({ ms: 60_000, businessHours: true, source: 'vip', rule: 'rule' });
    expect(p.reply?.source).toBe('inbox');
    expect(resolvePolicy(subject(), [vip], {}, defaults).pickup?.source).toBe('default:general');
  });
  it('are tried in order, per clock, skipping disabled ones', () => {
    const rules = [
      rule({
        id: 'late',
        order: 20,
        targets: { reply: { ms: 3, businessHours: false }, resolution: { ms: 4, businessHours: false } },
      }),
      rule({ id: 'early', order: 10, targets: { reply: { ms: 1, businessHours: false } } }),
      rule({ id: 'off', order: 0, enabled: false, targets: { reply: { ms: 9, businessHours: false } } }),
    ];
    const p = resolvePolicy(subject(), rules, {}, defaults);
    expect(p.reply?.source).toBe('early');
    expect(p.resolution?.source).toBe('late');
  });
  it('match on every listed field at once; a category rule needs a category', () => {
    const r = rule({
      match: {
        inboxIds: ['inbox-1'],
        channels: ['sms'],
        priorities: [2, 3],
        categories: ['billing'],
        vip: null,
      },
      targets: { resolution: { ms: 7, businessHours: false } },
    });
    const hit = subject({ channel: 'sms', priority: 2, category: 'billing' });
    expect(resolvePolicy(hit, [r], {}, defaults).resolution?.ms).toBe(7);
    for (const miss of [
      { inboxId: 'other' },
      { channel: 'webchat' as const },
      { priority: 1 as const },
      { category: null },
    ])
      expect(resolvePolicy({ ...hit, ...miss }, [r], {}, defaults).resolution?.ms).toBe(24 * H);
  });
  it('change the digest only when a resolved target changes', () => {
    const a = policyDigest(resolvePolicy(subject(), [], {}, defaults));
    expect(policyDigest(resolvePolicy(subject({ vip: true }), [], {}, defaults))).toBe(a);
    expect(policyDigest(resolvePolicy(subject({ priority: 3 }), [], {}, defaults))).not.toBe(a);
  });
});
