/** Request shapes of the follow-up endpoints and socket events. */
import { z } from 'zod';
import { objectId } from '../complaints/schemas';
import { FOLLOW_UP_STATUSES } from './model';

export const ListFollowUps = z.object({
  mine: z.enum(['1', 'true', '0', 'false']).optional(),
  status: z.enum(FOLLOW_UP_STATUSES).optional(),
});
export const CreateFollowUp = z
  .object({
    contactId: objectId,
    conversationId: objectId.optional(),
    dueAt: z.coerce.date(),
    note: z.string().trim().max(2000).optional(),
    ownerAgentId: objectId.optional(),
  })
  .strict();
export const StartFollowUp = z
  .object({
    inboxId: objectId,
    text: z.string().trim().min(1, 'write the first message').max(10_000),
    subject: z.string().trim().max(300).optional(),
    clientId: z.string().min(1).max(128).optional(),
  })
  .strict();
export const CompleteFollowUp = z
  .object({
    reached: z.boolean(),
    satisfied: z.boolean().nullable().default(null),
    note: z.string().trim().max(5000).default(''),
    keepOpen: z.boolean().default(false),
  })
  .strict();
