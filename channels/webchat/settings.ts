/** Settings of a web chat inbox, validated when the inbox is saved. */
import { z } from 'zod';

export const webchatSettings = z
  .object({
    preChat: z
      .object({ enabled: z.boolean().default(false), requireEmail: z.boolean().default(false) })
      .default({}),
    welcome: z.string().max(500).optional(),
    /** Shown while no agent is online, e.g. "We reply by email within 4 hours." */
    replyExpectation: z.string().max(500).optional(),
    /** Origins allowed to open sessions (empty: any). */
    allowedOrigins: z.array(z.string().url()).default([]),
  })
  .strict();

export type WebchatSettings = z.infer<typeof webchatSettings>;
