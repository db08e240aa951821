/** Settings of a web chat inbox, validated when the inbox is saved. */
import { z } from 'zod';

export const webchatSettings = z
  .object({
    preChat: z
      .object({
        enabled: z.boolean().default(false),
        requireEmail: z.boolean().default(false),
        /** Category keys the visitor may pick from, in this order; unknown or archived ones are not shown. */
        categories: z
          .array(z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/, 'must be a category key'))
          .max(20)
          .default([]),
      })
      .default({}),
    welcome: z.string().max(500).optional(),
    /** Shown while no agent is online, e.g. "We reply by email within 4 hours." */
    replyExpectation: z.string().max(500).optional(),
    /** Origins allowed to open sessions (empty: any). */
    allowedOrigins: z.array(z.string().url()).default([]),
    /** Signs users' ids (HMAC-SHA256) on the site; write-only in the API. */
    identitySecret: z.string().min(16).max(256).optional(),
    /** Refuse sessions without a signed identity (only signed-in users may chat). */
    requireIdentity: z.boolean().default(false),
  })
  .strict()
  .refine((s) => !s.requireIdentity || s.identitySecret !== undefined, {
    message: 'requireIdentity needs an identitySecret',
    path: ['requireIdentity'],
  });

export type WebchatSettings = z.infer<typeof webchatSettings>;
