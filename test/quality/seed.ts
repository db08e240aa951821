/**
 * Seeded history for the quality suites: resolved conversations written as the core
 * writes them (conversation, `conversation.resolved` event), with breaches, surveys and
 * measured clocks where a test asks for them, at chosen instants.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../server/domain/models';
import { api } from '../harness/gateway';

let counter = 100_000 + Math.floor(Math.random() * 100_000);

export interface Seeded {
  id: string;
  agentId: string;
  resolvedAt: Date;
}

export async function resolvedConversation(
  models: Models,
  o: {
    inboxId: Types.ObjectId;
    agentId: string;
    teamId?: Types.ObjectId | null;
    resolvedAt: Date;
    name?: string;
    breached?: boolean;
    rating?: number;
    clocks?: { met: boolean }[];
    messages?: { direction: 'in' | 'out'; text: string }[];
  },
): Promise<Seeded> {
  const contact = await models.Contact.create({ name: o.name ?? `Customer ${randomUUID().slice(0, 6)}` });
  const _id = new Types.ObjectId();
  const conv = await models.Conversation.create({
    _id,
    number: counter++,
    inboxId: o.inboxId,
    contactId: contact._id,
    channel: 'webchat',
    status: 'resolved',
    liveKey: `closed:${String(_id)}`,
    assigneeId: new Types.ObjectId(o.agentId),
    teamId: o.teamId ?? null,
    resolvedAt: o.resolvedAt,
    lastMessageAt: o.resolvedAt,
  });
  const event = (type: string, at: Date, data: Record<string, unknown> = {}) =>
    models.ConversationEvent.create({
      conversationId: conv._id,
      inboxId: o.inboxId,
      type,
      actor: { type: 'agent', id: new Types.ObjectId(o.agentId) },
      data,
      key: randomUUID(),
      at,
    });
  let t = o.resolvedAt.getTime() - 600_000;
  for (const m of o.messages ?? [
    { direction: 'in' as const, text: 'Hello, my parcel has not arrived.' },
    { direction: 'out' as const, text: 'Sorry to hear that; let me look it up.' },
  ])
    await models.Message.create({
      conversationId: conv._id,
      inboxId: o.inboxId,
      direction: m.direction,
      sender: {
        type: m.direction === 'in' ? 'contact' : 'agent',
        id: m.direction === 'in' ? contact._id : new Types.ObjectId(o.agentId),
        name: null,
      },
      text: m.text,
      dedupeKey: randomUUID(),
      delivery: { status: m.direction === 'in' ? 'received' : 'sent' },
      createdAt: new Date((t += 60_000)),
    });
  if (o.breached) await event('sla.breached', new Date(o.resolvedAt.getTime() - 60_000), { clock: 'reply' });
  for (const [i, c] of (o.clocks ?? []).entries())
    await models.SlaMeasurement.create({
      key: `${String(conv._id)}:reply:${i}`,
      conversationId: conv._id,
      inboxId: o.inboxId,
      channel: 'webchat',
      agentId: new Types.ObjectId(o.agentId),
      clock: 'reply',
      startedAt: new Date(o.resolvedAt.getTime() - 120_000),
      stoppedAt: new Date(o.resolvedAt.getTime() - 100_000),
      targetMs: 20_000,
      elapsedMs: c.met ? 10_000 : 30_000,
      met: c.met,
    });
  await event('conversation.resolved', o.resolvedAt);
  if (o.rating !== undefined)
    await models.Survey.create({
      conversationId: conv._id,
      resolvedAt: o.resolvedAt,
      channel: 'webchat',
      inboxId: o.inboxId,
      agentId: new Types.ObjectId(o.agentId),
      contactId: contact._id,
      askedAt: o.resolvedAt,
      day: o.resolvedAt.toISOString().slice(0, 10),
      month: o.resolvedAt.toISOString().slice(0, 7),
      expiresAt: new Date(o.resolvedAt.getTime() + 7 * 86_400_000),
      answeredAt: o.resolvedAt,
      rating: o.rating,
      satisfied: o.rating >= 4,
    });
  return { id: String(conv._id), agentId: o.agentId, resolvedAt: o.resolvedAt };
}

/** The rank the draw gives a conversation, computed here on its own: sha256 of `seed:id`, first 4 bytes. */
export const rankOf = (seed: string, id: string) =>
  createHash('sha256').update(`${seed}:${id}`).digest().readUInt32BE(0);

export const STANDARD_RUBRIC = {
  name: 'Standard inspection',
  criteria: [
    { key: 'greeting', label: { en: 'Greeting', zh: '问候语' }, weight: 1, kind: 'pass_fail' },
    {
      key: 'accuracy',
      label: { en: 'Accurate answer', zh: '解答准确' },
      weight: 3,
      kind: 'scale',
      max: 5,
      errorBelow: 3,
    },
    {
      key: 'forbidden_phrases',
      label: { en: 'No forbidden phrases', zh: '无服务禁语' },
      weight: 2,
      kind: 'pass_fail',
    },
    {
      key: 'timeliness',
      label: { en: 'Timely replies', zh: '回复及时' },
      weight: 2,
      kind: 'scale',
      max: 4,
      errorBelow: 2,
      auto: 'timeliness',
    },
  ],
};

export async function drawSince(url: string, token: string, since: Date) {
  return api<{ drawn: number; examined: number }>(url, token, 'POST', '/quality/samples/draw', {
    since: since.toISOString(),
  });
}
