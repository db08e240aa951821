/** Schemas of every event a client can send; the protocol's boundary check. */
import { z } from 'zod';
import { ClassifyEvent } from '../classification/schemas';
import { ATTACHMENT_URL } from '../storage/attachments';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const clientId = z.string().min(1).max(128);
const attachment = z.object({
  name: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  url: z.string().max(2600).regex(ATTACHMENT_URL, 'must be an uploaded attachment'),
});
const empty = z.object({}).passthrough();

export const agentEvents = {
  'presence:set': z.object({ presence: z.enum(['online', 'away', 'offline']) }),
  'queue:get': empty,
  'conversations:mine': empty,
  'conversation:get': z.object({ conversationId: objectId }),
  'messages:since': z.object({ conversationId: objectId, after: objectId.optional() }),
  'offer:accept': z.object({ conversationId: objectId }),
  'offer:decline': z.object({ conversationId: objectId }),
  'conversation:take': z.object({ conversationId: objectId }),
  'message:send': z.object({
    conversationId: objectId,
    clientId,
    text: z.string().max(100_000),
    private: z.boolean().optional(),
    attachments: z.array(attachment).max(10).optional(),
  }),
  typing: z.object({ conversationId: objectId, typing: z.boolean() }),
  'messages:read': z.object({ conversationId: objectId, upTo: objectId }),
  'conversation:transfer': z.object({
    conversationId: objectId,
    toAgentId: objectId.optional(),
    toTeamId: objectId.optional(),
    note: z.string().max(2000).optional(),
  }),
  'conversation:resolve': z.object({ conversationId: objectId }),
  'conversation:reopen': z.object({ conversationId: objectId }),
  'conversation:classify': ClassifyEvent,
  'conversation:escalate': z.object({ conversationId: objectId, note: z.string().max(2000).optional() }),
  'supervisor:snapshot': empty,
};

export const webchatEvents = {
  'message:send': z
    .object({
      clientId,
      text: z.string().max(100_000),
      attachments: z.array(attachment).max(10).optional(),
    })
    .refine((p) => p.text.trim() !== '' || (p.attachments?.length ?? 0) > 0, {
      message: 'A message needs text or an attachment.',
      path: ['text'],
    }),
  'history:get': z.object({ after: objectId.optional(), limit: z.number().int().min(1).max(500).optional() }),
  'status:get': empty,
  typing: z.object({ typing: z.boolean() }),
  'messages:read': z.object({ upTo: objectId }),
  'survey:get': empty,
  'survey:answer': z.object({
    surveyId: objectId,
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(2000).optional(),
  }),
  'complaint:accept': empty,
};
