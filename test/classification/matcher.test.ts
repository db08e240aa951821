/**
 * The classification rule language: English keywords match whole words in any case,
 * Chinese keywords match anywhere (Chinese has no spaces), rules apply in order, and the
 * customer's pre-chat choice comes first.
 */
import { classify, keywordMatches, type RuleSpec } from '../../server/classification/matcher';
import { SEED_CATEGORIES, SEED_RULES } from '../../server/classification/seed';

const seeded: RuleSpec[] = SEED_RULES.map((r, i) => ({
  id: `r${i}`,
  category: r.category,
  channels: [],
  keywords: r.keywords,
}));
const all = new Set<string>(SEED_CATEGORIES.map((c) => c.key));

describe('keyword matching', () => {
  it.each([
    ['I want a refund', 'refund', true],
    ['REFUND please', 'refund', true],
    ['refund.', 'refund', true],
    ['Is this refundable?', 'refund', false],
    ['prefund', 'refund', false],
    ['it is not   working', 'not working', true],
    ['nothing works', 'not working', false],
    ['我要退货', '退货', true],
    ['请问可以退货吗？', '退货', true],
    ['我要投诉你们', '投诉', true],
    ['退款refund', 'refund', true],
    ['ｒｅｆｕｎｄ', 'refund', true],
    ['café', 'caf', false],
    ['', 'refund', false],
    ['anything', '  ', false],
  ])('%j with keyword %j → %s', (text, keyword, expected) => {
    expect(keywordMatches(text, keyword)).toBe(expected);
  });
});

describe('classifying a first message with the seeded rules', () => {
  it.each([
    ['I want a refund', 'returns'],
    ['我要退货', 'returns'],
    ['投诉', 'complaint'],
    ['我要投诉，退款一直没到账', 'complaint'],
    ['I want to complain about the refund', 'complaint'],
    ['Why was I charged twice?', 'billing'],
    ['请帮我开一张发票', 'billing'],
    ['The app shows an error when I make a payment', 'billing'],
    ['The app crashes on start', 'technical'],
    ['The app crash is annoying', 'technical'],
    ['软件一直闪退', 'technical'],
    ['What are your opening hours?', null],
    ['你们几点开门？', null],
  ])('%j → %s', (text, category) => {
    expect(classify({ channel: 'webchat', text }, seeded, all)?.category ?? null).toBe(category);
  });

  it('reads the email subject too', () => {
    expect(
      classify({ channel: 'email', subject: 'Refund for order 42', text: 'See above.' }, seeded, all),
    ).toEqual({
      category: 'returns',
      by: 'rule',
      ruleId: 'r1',
      keyword: 'refund',
    });
  });
});

describe('rule order, channels, choices and disabled categories', () => {
  const rules: RuleSpec[] = [
    { id: 'sms-all', category: 'consultation', channels: ['sms'], keywords: [] },
    { id: 'bill', category: 'billing', channels: [], keywords: ['invoice'] },
    { id: 'tech', category: 'technical', channels: ['email', 'webchat'], keywords: ['invoice', 'login'] },
  ];

  it.each([
    ['the first matching rule wins', { channel: 'webchat', text: 'invoice login' }, 'billing'],
    ['a rule limited to channels skips others', { channel: 'telegram', text: 'login' }, null],
    [
      'a rule without keywords matches every message of its channels',
      { channel: 'sms', text: 'invoice' },
      'consultation',
    ],
    [
      'the pre-chat choice comes before any rule',
      { channel: 'webchat', text: 'invoice', choice: 'returns' },
      'returns',
    ],
    ['an unknown choice is ignored', { channel: 'webchat', text: 'invoice', choice: 'nope' }, 'billing'],
  ])('%s', (_name, msg, category) => {
    expect(classify(msg, rules, all)?.category ?? null).toBe(category);
  });

  it('skips rules and choices of disabled categories', () => {
    const enabled = new Set(['technical']);
    expect(classify({ channel: 'webchat', text: 'invoice', choice: 'returns' }, rules, enabled)).toEqual({
      category: 'technical',
      by: 'rule',
      ruleId: 'tech',
      keyword: 'invoice',
    });
  });
  it('says which rule and keyword decided, or that the customer chose', () => {
    expect(classify({ channel: 'webchat', text: 'x', choice: 'billing' }, rules, all)).toEqual({
      category: 'billing',
      by: 'choice',
    });
  });
});
