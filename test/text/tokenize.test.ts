import { queryTerms, terms } from '../../server/text/tokenize';

it('splits spaced scripts into folded words', () => {
  expect(terms('Refund my ORDER, please — ＲＥＦＵＮＤ!')).toEqual(['refund', 'my', 'order', 'please']);
});

it('gives Chinese runs their characters and bigrams, and a query only its bigrams', () => {
  expect(terms('我要退款')).toEqual(['我', '我要', '要', '要退', '退', '退款', '款']);
  expect(queryTerms('退款')).toEqual(['退款']);
  expect(queryTerms('款')).toEqual(['款']);
  const indexed = new Set(terms('申请退款需要订单号 order 42'));
  for (const q of ['退款', '订单号', 'order', '42'])
    expect(queryTerms(q).every((t) => indexed.has(t))).toBe(true);
  expect(queryTerms('款退').every((t) => indexed.has(t))).toBe(false);
});
