/**
 * "Was this helpful?" votes on a published translation. One vote per article, language
 * and visitor address a day, and at most VOTES_PER_HOUR votes from one address an hour,
 * both counted in Redis (shared by every gateway process), so nobody can stuff the count.
 */
import type { Redis } from 'ioredis';
import { DomainError } from '../domain/errors';
import type { Models } from '../domain/models';
import type { Locale } from '../domain/types';
import type { ArticleDoc } from './model';

const DAY_S = 24 * 3600;
const HOUR_S = 3600;
export const VOTES_PER_HOUR = 20;

export class AlreadyVoted extends DomainError {
  constructor() {
    super('already_voted', 'You have already rated this article.', 409);
  }
}
export class TooManyVotes extends DomainError {
  constructor() {
    super('too_many_votes', 'Too many ratings from your address; try again later.', 429, {
      retryAfterMs: HOUR_S * 1000,
    });
  }
}

export class ArticleVotes {
  constructor(
    private readonly models: Models,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts the vote of `visitor` (an address) unless it is a repeat or one too many. */
  async vote(a: ArticleDoc, locale: Locale, helpful: boolean, visitor: string): Promise<void> {
    const burst = `${this.prefix}:kb:votes:${visitor}`;
    const n = await this.redis.incr(burst);
    if (n === 1) await this.redis.expire(burst, HOUR_S);
    if (n > VOTES_PER_HOUR) throw new TooManyVotes();
    const once = await this.redis.set(
      `${this.prefix}:kb:vote:${String(a._id)}:${locale}:${visitor}`,
      '1',
      'EX',
      DAY_S,
      'NX',
    );
    if (once !== 'OK') throw new AlreadyVoted();
    await this.models.Article.updateOne(
      { _id: a._id },
      { $inc: { [`translations.${locale}.${helpful ? 'helpful' : 'notHelpful'}`]: 1 } },
    );
  }
}
