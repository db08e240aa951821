/** Request shapes of the canned-response endpoints. */
import { z } from 'zod';
import { CANNED_VARIABLES, unknownVariables } from '../../shared/canned';
import { objectId } from '../complaints/schemas';

const known = CANNED_VARIABLES.map((v) => `{${v}}`).join(', ');

export const shortcut = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(32, 'at most 32 characters')
  .transform((s) => s.normalize('NFKC').toLowerCase().replace(/^\//, ''))
  .refine((s) => /^[\p{L}\p{N}_-]{1,32}$/u.test(s), 'letters, digits, "-" and "_" only (no spaces)');

const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(5000, 'at most 5000 characters')
  .superRefine((s, ctx) => {
    const bad = unknownVariables(s);
    if (bad.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `unknown variable ${bad.join(', ')}; the variables are ${known}`,
      });
  });

export const CreateCanned = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
    shortcut,
    text,
    teamId: objectId.nullable().default(null),
  })
  .strict();

export const UpdateCanned = CreateCanned.partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');

export const ListCanned = z.object({ teamId: objectId.optional() });
