/**
 * What a search box sends, the same for every search over a term index: plain text of
 * bounded length, and the terms an entry must all hold to match (see tokenize.ts).
 */
import { z } from 'zod';
import { queryTerms } from './tokenize';

/** Searches look up at most this many terms. */
export const MAX_QUERY_TERMS = 12;

export const searchText = z
  .string()
  .trim()
  .min(1, 'type something to search for')
  .max(200, 'at most 200 characters')
  .refine(
    (q) => ![...q].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  );

/** The terms an entry must all hold to match `q`. */
export const queryWords = (q: string): string[] => queryTerms(q).slice(0, MAX_QUERY_TERMS);
