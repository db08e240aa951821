/** Request shapes of the complaint endpoints and socket events. */
import { z } from 'zod';

export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
export const RecordSolution = z
  .object({
    text: z.string().trim().min(1, 'write the solution').max(10_000),
    clientId: z.string().min(1).max(128).optional(),
  })
  .strict();
export const AcceptSolution = z.object({ messageId: objectId }).strict();
export const SolutionEvent = RecordSolution.extend({ conversationId: objectId }).strict();
