/** Boundary schemas of classification: categories, rules, and what agents change on a conversation or contact. */
import { z } from 'zod';
import { CHANNEL_KINDS } from '../domain/types';

export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 40;

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
export const categoryKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'lower-case letters, digits, _ or -, 2 to 40, starting with a letter');
const name = z.string().trim().min(1).max(60);
/** Up to a day; null falls back to ROUTING_SKILL_WAIT_MS. */
const skillWait = z.number().int().min(0).max(86_400_000).nullable();

export const CategoryCreate = z
  .object({
    key: categoryKey,
    names: z.object({ en: name, zh: name }).strict(),
    requiredSkill: z.string().trim().min(1).max(64).nullable().default(null),
    skillWaitMs: skillWait.default(null),
    enabled: z.boolean().default(true),
    order: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

export const CategoryUpdate = z
  .object({
    names: z.object({ en: name, zh: name }).partial().strict(),
    requiredSkill: z.string().trim().min(1).max(64).nullable(),
    skillWaitMs: skillWait,
    enabled: z.boolean(),
    order: z.number().int().min(0).max(10_000),
  })
  .partial()
  .strict();

const keyword = z.string().trim().min(1).max(100);
export const RuleCreate = z
  .object({
    name: z.string().trim().min(1).max(200),
    category: categoryKey,
    channels: z.array(z.enum(CHANNEL_KINDS)).max(CHANNEL_KINDS.length).default([]),
    keywords: z.array(keyword).max(200).default([]),
    enabled: z.boolean().default(true),
    position: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
export const RuleUpdate = RuleCreate.omit({ position: true })
  .extend({ position: z.number().int().min(0).max(1_000_000) })
  .partial()
  .strict();

/** Labels as agents type them: trimmed, empty ones dropped, deduplicated ignoring case, then limited. */
export const labels = z
  .array(z.string().max(1000))
  .max(200)
  .transform((list) => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const raw of list) {
      const label = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
      if (!label || seen.has(label.toLowerCase())) continue;
      seen.add(label.toLowerCase());
      out.push(label);
    }
    return out;
  })
  .refine((list) => list.every((l) => l.length <= MAX_LABEL_LENGTH), {
    message: `a label has at most ${MAX_LABEL_LENGTH} characters`,
  })
  .refine((list) => list.length <= MAX_LABELS, { message: `at most ${MAX_LABELS} labels` });

export const ClassifyChange = z
  .object({
    category: categoryKey.nullable(),
    labels,
    priority: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'send category, labels or priority' });
export type ClassifyChange = z.infer<typeof ClassifyChange>;

/** The `conversation:classify` socket event: the conversation and the change. */
export const ClassifyEvent = z
  .object({
    conversationId: objectId,
    category: categoryKey.nullable(),
    labels,
    priority: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  })
  .partial({ category: true, labels: true, priority: true })
  .strict()
  .refine((c) => Object.keys(c).length > 1, { message: 'send category, labels or priority' });

export const ContactChange = z
  .object({ vip: z.boolean(), dedicatedAgentId: objectId.nullable() })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'send vip or dedicatedAgentId' });
export type ContactChange = z.infer<typeof ContactChange>;
