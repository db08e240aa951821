/** Maps stored documents to the wire views of shared/protocol.ts. */
import type {
  AgentView,
  ClockKindView,
  ClockView,
  ConversationView,
  MessageView,
} from '../../shared/protocol';
import type { AgentDoc } from './agent';
import type { ContactDoc } from './contact';
import type { Clock, ConversationDoc } from './conversation';
import type { MessageDoc } from './message';
import { CLOCK_KINDS, type ChannelKind } from './types';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

function clockView(c: Clock | null | undefined): ClockView | null {
  if (!c) return null;
  return {
    startedAt: new Date(c.startedAt).toISOString(),
    dueAt: new Date(c.dueAt).toISOString(),
    warnAt: new Date(c.warnAt).toISOString(),
    targetMs: c.targetMs,
    warnedAt: iso(c.warnedAt),
    breachedAt: iso(c.breachedAt),
    businessHours: Boolean(c.businessHours),
    policy: c.policy ?? null,
  };
}

function clocksView(c: ConversationDoc): ConversationView['clocks'] {
  const out: ConversationView['clocks'] = {};
  for (const kind of CLOCK_KINDS) {
    const v = clockView(c.clocks?.[kind]);
    if (v) out[kind satisfies ClockKindView] = v;
  }
  return out;
}

export function conversationView(c: ConversationDoc, contactName: string | null = null): ConversationView {
  return {
    id: String(c._id),
    number: c.number,
    inboxId: String(c.inboxId),
    contactId: String(c.contactId),
    contactName,
    channel: c.channel,
    status: c.status,
    assigneeId: c.assigneeId ? String(c.assigneeId) : null,
    teamId: c.teamId ? String(c.teamId) : null,
    priority: c.priority,
    category: c.category ?? null,
    labels: c.labels ?? [],
    subject: c.subject,
    queuedAt: iso(c.queuedAt),
    assignedAt: iso(c.assignedAt),
    resolvedAt: iso(c.resolvedAt),
    lastMessageAt: new Date(c.lastMessageAt).toISOString(),
    preview: c.preview ? { text: c.preview.text, from: c.preview.from } : null,
    pickupClock: clockView(c.clocks?.pickup),
    replyClock: clockView(c.clocks?.reply),
    clocks: clocksView(c),
    replyBreaches: c.replyBreaches,
    csat: c.csat ? { rating: c.csat.rating, comment: c.csat.comment ?? null } : null,
  };
}

export function messageView(m: MessageDoc, channel: ChannelKind): MessageView {
  return {
    id: String(m._id),
    conversationId: String(m.conversationId),
    direction: m.direction,
    sender: { type: m.sender.type, id: m.sender.id ? String(m.sender.id) : null, name: m.sender.name },
    private: m.private,
    automatic: m.automatic,
    text: m.text,
    attachments: m.attachments.map((a) => ({
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      url: a.url,
    })),
    clientId: typeof m.meta?.clientId === 'string' ? m.meta.clientId : m.dedupeKey,
    channel,
    delivery: { status: m.delivery.status, error: m.delivery.error },
    createdAt: new Date(m.createdAt).toISOString(),
    editedAt: iso(m.editedAt),
    readAt: iso(m.readAt),
  };
}

export function agentView(a: AgentDoc, load: number): AgentView {
  return {
    id: String(a._id),
    email: a.email,
    name: a.name,
    role: a.role,
    capacity: a.capacity,
    skills: a.skills,
    teamIds: a.teamIds.map(String),
    presence: a.presence,
    load,
    active: a.active !== false,
  };
}

/** A contact as the REST API shows it (GET and PATCH /api/contacts/:id). */
export function contactView(c: ContactDoc) {
  return {
    id: String(c._id),
    name: c.name,
    email: c.email,
    phone: c.phone,
    vip: c.vip,
    verified: c.verified ?? false,
    dedicatedAgentId: c.dedicatedAgentId ? String(c.dedicatedAgentId) : null,
    identities: c.identities,
    reachability: c.reachability,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}
