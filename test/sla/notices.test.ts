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
    expect(noticeText('pickup_breach', 'en', { place: 1 })).toMatch(/you're next in line/);
    expect(noticeText('pickup_breach', 'en', { place: 2 })).toMatch(/one person is ahead of you/);
    expect(noticeText('pickup_breach', 'en', { place: 3 })).toMatch(/2 people are ahead of you/);
    expect(noticeText('pickup_breach', 'zh-CN', { place: 1 })).toMatch(/您是下一位/);
    expect(noticeText('pickup_breach', 'zh-CN', { place: 3 })).toMatch(/您前面还有 2 位顾客/);
    expect(noticeText('escalated', 'zh-CN', { place: 1 })).toMatch(/专业团队/);
  });
  it('promise a reply by email (or here), never a place in line, while no agent is online', () => {
    expect(noticeText('pickup_breach_unstaffed', 'en', { byEmail: true })).toMatch(/reply by email/);
    expect(noticeText('pickup_breach_unstaffed', 'en', { byEmail: false })).toMatch(/reply here/);
    expect(noticeText('pickup_breach_unstaffed', 'zh-CN', { byEmail: true })).toMatch(/通过邮件回复您/);
    for (const byEmail of [true, false])
      expect(noticeText('pickup_breach_unstaffed', 'en', { byEmail })).not.toMatch(/in line|next free agent/);
  });
});
