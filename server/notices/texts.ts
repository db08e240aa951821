/**
 * What Switchboard itself says to customers, in English and Simplified Chinese. Written
 * for each language rather than translated word for word; add a locale by adding a column.
 */
import type { Locale } from '../domain/types';

export interface NoticeVars {
  /** 1-based place in the queue. */
  place: number;
}

export type NoticeKey = 'pickup_breach' | 'escalated';

const TEXTS: Record<Locale, Record<NoticeKey, (v: NoticeVars) => string>> = {
  en: {
    pickup_breach: ({ place }) =>
      `Thank you for waiting. All our agents are busy right now; you are number ${place} in line and the next free agent will answer you.`,
    escalated: () =>
      "We've passed your conversation to our specialist team so it gets the attention it needs. One of them will be with you shortly.",
  },
  'zh-CN': {
    pickup_breach: ({ place }) =>
      `感谢您的耐心等待！目前客服都在忙，您现在排在第 ${place} 位，一有空闲客服会马上为您服务。`,
    escalated: () => '您的问题已转交给我们的专业团队跟进，相关同事会尽快联系您，请稍候。',
  },
};

export function noticeText(key: NoticeKey, locale: Locale, vars: NoticeVars): string {
  return TEXTS[locale][key](vars);
}

/** The customer's own language when known (a browser tag such as `zh`, `zh-Hans-CN`, `en-GB`), else the inbox's. */
export function pickLocale(customer: unknown, inbox: Locale | null | undefined): Locale {
  if (typeof customer === 'string') {
    const tag = customer.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-cn') || tag.startsWith('zh-hans') || tag.startsWith('zh-sg'))
      return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return inbox ?? 'en';
}
