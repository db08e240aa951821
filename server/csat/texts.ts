/**
 * What a satisfaction survey says to customers, in English and Simplified Chinese: the
 * question on each channel and the rating page's words. Written for each language.
 */
import type { ChannelKind, Locale } from '../domain/types';

export function surveyQuestion(channel: ChannelKind, locale: Locale, link: string, days: number): string {
  const zh = locale === 'zh-CN';
  switch (channel) {
    case 'sms':
      return zh
        ? '感谢您联系我们！请为本次服务打分：回复数字 1（很不满意）到 5（非常满意），也可以在数字后附上您的意见。'
        : 'Thanks for contacting us! How did we do? Reply with a number from 1 (poor) to 5 (excellent), and add a comment after it if you like.';
    case 'email':
      return zh
        ? `您好，感谢您联系我们！\n\n您的问题已处理完毕。请花几秒钟为本次服务打分（1–5 分），您的意见能帮助我们做得更好：\n\n${link}\n\n该链接 ${days} 天内有效。`
        : `Hello, and thank you for contacting us.\n\nYour request has been resolved. Could you take a few seconds to rate the help you received, from 1 to 5? It helps us do better:\n\n${link}\n\nThe link works for ${days} days.`;
    case 'telegram':
      return zh
        ? '感谢您联系我们！请点击下方的数字为本次服务打分：1 分很不满意，5 分非常满意。'
        : 'Thanks for contacting us! How would you rate the help you received? Tap a number below: 1 is poor, 5 is excellent.';
    default:
      return zh
        ? '感谢您的咨询！请为本次服务打分：1 分很不满意，5 分非常满意。'
        : 'Thanks for chatting with us! How would you rate the help you received? 1 is poor, 5 is excellent.';
  }
}

export interface PageWords {
  title: string;
  heading: string;
  scale: [string, string, string, string, string];
  comment: string;
  send: string;
  chooseRating: string;
  thanks: string;
  thanksChanged: string;
  changeHint: string;
  forged: string;
  expired: string;
  missing: string;
}

const PAGE: Record<Locale, PageWords> = {
  en: {
    title: 'Rate our service',
    heading: 'How would you rate the help you received?',
    scale: ['1 – Poor', '2 – Fair', '3 – Good', '4 – Very good', '5 – Excellent'],
    comment: 'Anything you would like to tell us? (optional)',
    send: 'Send my rating',
    chooseRating: 'Please choose a rating from 1 to 5.',
    thanks: 'Thank you! Your rating has been recorded.',
    thanksChanged: 'Thank you! Your rating has been updated.',
    changeHint: 'You can change your rating below while this link is valid.',
    forged: 'This rating link is not valid. Please use the link from our email exactly as it was sent.',
    expired: 'This rating link has expired. Thank you for your interest all the same.',
    missing: 'We could not find the conversation this link is for.',
  },
  'zh-CN': {
    title: '服务评价',
    heading: '您对本次服务满意吗？',
    scale: ['1 分 – 很不满意', '2 分 – 不满意', '3 分 – 一般', '4 分 – 满意', '5 分 – 非常满意'],
    comment: '还有什么想告诉我们的吗？（选填）',
    send: '提交评价',
    chooseRating: '请选择 1 到 5 分。',
    thanks: '感谢您的评价，我们已收到！',
    thanksChanged: '感谢您，评价已更新！',
    changeHint: '在链接有效期内，您可以在下方修改评价。',
    forged: '此评价链接无效，请使用邮件中的原始链接。',
    expired: '此评价链接已过期，仍然感谢您的关注。',
    missing: '未找到此链接对应的会话。',
  },
};

export const pageWords = (locale: Locale): PageWords => PAGE[locale];
