/** Request shape of starting a conversation (REST and socket). */
import { z } from 'zod';
import { objectId } from '../complaints/schemas';

export const StartConversation = z
  .object({
    contactId: objectId,
    inboxId: objectId,
    text: z.string().trim().min(1, 'write the first message').max(10_000),
    subject: z.string().trim().max(300).optional(),
    clientId: z.string().min(1).max(128).optional(),
  })
  .strict();
