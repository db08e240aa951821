/** The help centre's words in English and Simplified Chinese. */
import type { Locale } from '../domain/types';
import { translatorOf } from '../../ui/locale';

const en = {
  siteTitle: 'Help Center',
  description: 'Answers to common questions, from our support team.',
  searchLabel: 'Search the help center',
  searchPlaceholder: 'How can we help?',
  searchButton: 'Search',
  resultsFor: 'Results for “{q}”',
  noResults: 'No articles match “{q}”. Try other words, or chat with us.',
  uncategorised: 'Other articles',
  empty: 'There are no articles here yet.',
  home: 'Help Center',
  updated: 'Updated {date}',
  helpful: 'Was this article helpful?',
  yes: 'Yes',
  no: 'No',
  thanks: 'Thanks for your feedback!',
  alreadyVoted: 'You have already rated this article.',
  tooManyVotes: 'Too many ratings from your address; please try again later.',
  badVote: 'Please choose Yes or No.',
  notFound: 'This page does not exist, or the article is no longer published.',
  otherLanguage: '中文',
  articlesIn: '{n} articles',
};
export type HelpWords = typeof en;

const zh: HelpWords = {
  siteTitle: '帮助中心',
  description: '客服团队为您整理的常见问题解答。',
  searchLabel: '搜索帮助中心',
  searchPlaceholder: '请问有什么可以帮您？',
  searchButton: '搜索',
  resultsFor: '“{q}”的搜索结果',
  noResults: '没有找到与“{q}”相关的文章。请换个说法试试，或直接联系在线客服。',
  uncategorised: '其他文章',
  empty: '这里暂时还没有文章。',
  home: '帮助中心',
  updated: '更新于 {date}',
  helpful: '这篇文章对您有帮助吗？',
  yes: '有帮助',
  no: '没有帮助',
  thanks: '感谢您的反馈！',
  alreadyVoted: '您已经评价过这篇文章了。',
  tooManyVotes: '您的评价次数过多，请稍后再试。',
  badVote: '请选择“有帮助”或“没有帮助”。',
  notFound: '页面不存在，或该文章已下线。',
  otherLanguage: 'English',
  articlesIn: '{n} 篇文章',
};

export const helpWords = (locale: Locale) => (locale === 'zh-CN' ? zh : en);
export const helpText = (locale: Locale) => translatorOf(helpWords(locale));
