/**
 * What Switchboard itself says to customers, in English and Simplified Chinese. Written
 * for each language rather than translated word for word; add a locale by adding a column.
 */
import { localeOf } from '../domain/locale';
import type { Locale } from '../domain/types';

import type { OpeningWords } from './opening-time';

export interface NoticeVars {
  /** 1-based place in the queue. */
  pickup_breach: { place: number };
  /** The pickup deadline passed and no agent who would take the chat is online. */
  pickup_breach_unstaffed: { byEmail: boolean };
  escalated: { place: number };
  /** When the service opens again (see opening-time.ts). */
  out_of_hours: OpeningWords;
}

export type NoticeKey = keyof NoticeVars;

const TEXTS: { [L in Locale]: { [K in NoticeKey]: (v: NoticeVars[K]) => string } } = {
  en: {
    pickup_breach: ({ place }) =>
      `Thank you for waiting. All our agents are busy right now; ${
        place <= 1
          ? "you're next in line"
          : place === 2
            ? 'one person is ahead of you'
            : `${place - 1} people are ahead of you`
      } and the next free agent will answer you.`,
    pickup_breach_unstaffed: ({ byEmail }) =>
      `Thank you for waiting. No one is available to chat right now, but we have your message and will reply ${
        byEmail ? 'by email' : 'here'
      } as soon as we can.`,
    escalated: () =>
      "We've passed your conversation to our specialist team so it gets the attention it needs. One of them will be with you shortly.",
    out_of_hours: ({ when, zone }) =>
      `Thanks for getting in touch. We're closed right now and open again ${when} (${zone}). We've got your message and will reply as soon as we're back.`,
  },
  'zh-CN': {
    pickup_breach: ({ place }) =>
      `感谢您的耐心等待！目前客服都在忙，${
        place <= 1 ? '您是下一位' : `您前面还有 ${place - 1} 位顾客`
      }，客服一有空就会马上为您服务。`,
    pickup_breach_unstaffed: ({ byEmail }) =>
      `感谢您的耐心等待！目前暂时没有客服在线，您的消息我们已经收到，会尽快${byEmail ? '通过邮件' : '在这里'}回复您。`,
    escalated: () => '您的问题已转交给我们的专业团队跟进，相关同事会尽快联系您，请稍候。',
    out_of_hours: ({ when, zone }) =>
      `您好，感谢您的留言！现在是非工作时间，我们将于${when}（${zone}）恢复服务。您的消息我们已经收到，上班后会第一时间回复您。`,
  },
};

export function noticeText<K extends NoticeKey>(key: K, locale: Locale, vars: NoticeVars[K]): string {
  const text: (v: NoticeVars[K]) => string = TEXTS[locale][key];
  return text(vars);
}

/** The customer's own language when known (a browser tag such as `zh`, `zh-Hans-CN`, `en-GB`), else the inbox's. */
export function pickLocale(customer: unknown, inbox: Locale | null | undefined): Locale {
  return localeOf(customer) ?? inbox ?? 'en';
}
