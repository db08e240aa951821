/**
 * When a closed service opens again, in words a customer reads at a glance: "tomorrow at
 * 09:00", "on Monday 7 December at 09:00", "明天 09:00", always in the inbox's time zone
 * and naming it, since the customer may be elsewhere.
 */
import { DateTime } from 'luxon';
import type { Locale } from '../domain/types';

export interface OpeningWords {
  /** The day and time of the opening, relative to `at` when that is today or tomorrow. */
  when: string;
  /** The zone's name in the customer's language (China Standard Time, 中国标准时间, GMT+03:00). */
  zone: string;
}

export function openingWords(opening: Date, at: Date, timeZone: string, locale: Locale): OpeningWords {
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en-GB';
  const open = DateTime.fromJSDate(opening, { zone: timeZone }).setLocale(lang);
  const days = open
    .startOf('day')
    .diff(DateTime.fromJSDate(at, { zone: timeZone }).startOf('day'), 'days').days;
  const time = open.toFormat('HH:mm');
  const zone = open.toFormat('ZZZZZ');
  if (locale === 'zh-CN') {
    const day = days < 1 ? '今天 ' : days < 2 ? '明天 ' : open.toFormat('M月d日（cccc）');
    return { when: `${day}${time}`, zone };
  }
  const day = days < 1 ? 'today' : days < 2 ? 'tomorrow' : `on ${open.toFormat('cccc d LLLL')}`;
  return { when: `${day} at ${time}`, zone };
}
