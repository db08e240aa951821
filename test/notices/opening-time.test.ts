/** How the next opening is put to customers: relative when near, in the inbox's zone, in their language. */
import { openingWords } from '../../server/notices/opening-time';
import { noticeText } from '../../server/notices/texts';

const zone = 'Asia/Shanghai';
// Friday 4 December 2026, 20:30 in Shanghai.
const friday = new Date('2026-12-04T12:30:00Z');

describe('the next opening in words', () => {
  it('says today or tomorrow when the opening is that near', () => {
    expect(openingWords(new Date('2026-12-05T01:00:00Z'), friday, zone, 'en')).toEqual({
      when: 'tomorrow at 09:00',
      zone: 'China Standard Time',
    });
    expect(openingWords(new Date('2026-12-04T13:00:00Z'), friday, zone, 'zh-CN')).toEqual({
      when: '今天 21:00',
      zone: '中国标准时间',
    });
  });

  it('names the day and date beyond tomorrow, in the inbox zone', () => {
    const monday = new Date('2026-12-07T01:00:00Z');
    expect(openingWords(monday, friday, zone, 'en').when).toBe('on Monday 7 December at 09:00');
    expect(openingWords(monday, friday, zone, 'zh-CN').when).toBe('12月7日（星期一）09:00');
  });

  it('makes a whole reply in either language', () => {
    const words = openingWords(new Date('2026-12-07T01:00:00Z'), friday, zone, 'zh-CN');
    expect(noticeText('out_of_hours', 'zh-CN', words)).toBe(
      '您好，感谢您的留言！现在是非工作时间，我们将于12月7日（星期一）09:00（中国标准时间）恢复服务。您的消息我们已经收到，上班后会第一时间回复您。',
    );
    const en = openingWords(new Date('2026-12-07T01:00:00Z'), friday, zone, 'en');
    expect(noticeText('out_of_hours', 'en', en)).toBe(
      "Thanks for getting in touch. We're closed right now and open again on Monday 7 December at 09:00 (China Standard Time). We've got your message and will reply as soon as we're back.",
    );
  });
});
