/** Request shapes of the knowledge-base endpoints, staff and public. */
import { z } from 'zod';
import { objectId } from '../complaints/schemas';
import { LOCALES } from '../domain/types';
import { searchText } from '../text/query';

export const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(80, 'at most 80 characters')
  .refine((s) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s), 'lower-case letters, digits and single "-" only');

export const locale = z.enum(LOCALES, { errorMap: () => ({ message: 'must be "en" or "zh-CN"' }) });

const title = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
const body = z.string().trim().min(1, 'must not be empty').max(50_000, 'at most 50000 characters');

export const DraftText = z.object({ title, body }).strict();

export const CreateArticle = z
  .object({
    slug: slug.optional(),
    categoryId: objectId.nullable().default(null),
    translations: z
      .object({ en: DraftText.optional(), 'zh-CN': DraftText.optional() })
      .strict()
      .refine((t) => t.en || t['zh-CN'], 'give the English or the Chinese version (or both)'),
  })
  .strict();

export const UpdateArticle = z
  .object({
    slug: slug.optional(),
    categoryId: objectId.nullable().optional(),
    translations: z.object({ en: DraftText.optional(), 'zh-CN': DraftText.optional() }).strict().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');

export const ListArticles = z.object({
  categoryId: objectId.optional(),
  q: searchText.optional(),
  locale: locale.optional(),
});

export const CreateCategory = z
  .object({
    slug,
    names: z
      .object({
        en: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
        zh: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
      })
      .strict(),
    order: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const UpdateCategory = CreateCategory.partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');

export const Publish = z.object({ locale }).strict();

export const PublicSearch = z.object({
  q: searchText,
  locale: locale.default('en'),
  /** The widget's inbox key; accepted so every inbox's widget can send it. */
  inbox: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(10).default(3),
  /** The text the visitor finally sent (not a suggestion while typing): a miss is recorded. */
  final: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

export const Vote = z.object({
  helpful: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'must be "yes" or "no"' }) }),
});
