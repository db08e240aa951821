/** What Switchboard tells customers itself: in the customer's language when known, else the inbox's. */
import { noticeText, pickLocale } from '../../server/notices/texts';

describe('customer notices', () => {
  it('follow the customer language tag, then the inbox locale', () => {
    expect(pickLocale('zh', 'en')).toBe('zh-CN');
    expect(pickLocale('zh-Hans-CN', 'en')).toBe('zh-CN');
    expect(pickLocale('en-GB', 'zh-CN')).toBe('en');
    expect(pickLocale('fr', 'zh-CN')).toBe('zh-CN');
    expect(pickLocale(undefined, undefined)).toBe('en');
  });
  it('tell a waiting customer their place in line in either language', () => {
    expect(noticeText('pickup_breach', 'en', { place: 3 })).toMatch(/number 3 in line/);
    expect(noticeText('pickup_breach', 'zh-CN', { place: 3 })).toMatch(/第 3 位/);
    expect(noticeText('escalated', 'zh-CN', { place: 1 })).toMatch(/专业团队/);
  });
});
