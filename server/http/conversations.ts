/** Conversation search and history, escalation to the second line, contact profiles, and attainment reports. */
import express from 'express';
import { z } from 'zod';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import { NotFound } from '../domain/errors';
import { historyPage } from '../domain/message';
import type { SlaMeasurementDoc } from '../domain/measurement';
import type { Models } from '../domain/models';
import { contactView, conversationView, messageView } from '../domain/views';
import type { AgentAccess } from '../auth/access';
import type { SecondLine } from '../routing/escalate';
import { attainment } from '../sla/clock';
import { requireRole, type AuthedRequest } from './auth';
import { parse, route } from './errors';
import { assertSeesContact, visibleConversation } from '../access/reads';
import { conversationFilter, teamFilter } from '../access/rules';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const Search = z.object({
  status: z.enum(['queued', 'assigned', 'resolved']).optional(),
  inboxId: id.optional(),
  assigneeId: id.optional(),
  contactId: id.optional(),
  q: z
    .string()
    .trim()
    .max(200)
    .refine(
      (q) => ![...q].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.date().optional(),
});
const Period = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  groupBy: z.enum(['agent', 'inbox', 'channel', 'team']).optional(),
});

const Escalate = z.object({ note: z.string().max(2000).optional() }).strict();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function conversationsRouter(models: Models, access: AgentAccess, secondLine: SecondLine) {
  const r = express.Router();
  r.use(requireRole(access, ['agent', 'supervisor', 'admin']));

  const names = async (convs: ConversationDoc[]) => {
    const contacts = await models.Contact.find(
      { _id: { $in: convs.map((c) => c.contactId) } },
      { name: 1, email: 1, phone: 1 },
    ).lean();
    const m = new Map(contacts.map((c) => [String(c._id), c.name ?? c.email ?? c.phone ?? null]));
    return convs.map((c) => conversationView(c, m.get(String(c.contactId)) ?? null));
  };

  r.get(
    '/conversations',
    route(async (req, res) => {
      const p = parse(Search, req.query);
      const filter: Record<string, unknown> = { $and: [conversationFilter((req as AuthedRequest).agent)] };
      if (p.status) filter.status = p.status;
      if (p.inboxId) filter.inboxId = p.inboxId;
      if (p.assigneeId) filter.assigneeId = p.assigneeId;
      if (p.contactId) filter.contactId = p.contactId;
      if (p.before) filter.lastMessageAt = { $lt: p.before };
      if (p.q) {
        const n = Number(p.q.replace(/^#/, ''));
        const rx = new RegExp(escape(p.q), 'i');
        // Contact fields are encrypted at rest: matched by exact email, phone, name or word of the name.
        const q = p.q.trim();
        const contacts = await models.Contact.find(
          { $or: [{ name: q }, { email: q }, { phone: q }] },
          { _id: 1 },
        )
          .limit(200)
          .lean();
        const or: Record<string, unknown>[] = [
          { contactId: { $in: contacts.map((c) => c._id) } },
          { subject: rx },
        ];
        if (Number.isInteger(n) && n > 0) or.push({ number: n });
        filter.$or = or;
      }
      const convs = await models.Conversation.find(filter)
        .sort({ lastMessageAt: -1 })
        .limit(p.limit ?? 50)
        .lean<ConversationDoc[]>();
      res.json({ conversations: await names(convs) });
    }),
  );

  r.get(
    '/conversations/:id',
    route(async (req, res) => {
      const conv = await visibleConversation(models, (req as AuthedRequest).agent, parse(id, req.params.id));
      const messages = await historyPage(models.Message, { conversationId: conv._id }, 2000);
      const [view] = await names([conv]);
      res.json({ conversation: view, messages: messages.map((m) => messageView(m, conv.channel)) });
    }),
  );

  r.post(
    '/conversations/:id/escalate',
    route(async (req, res) => {
      const conversationId = parse(id, req.params.id);
      const { note } = parse(Escalate, req.body ?? {});
      const conv = await secondLine.byAgent(conversationId, { ...(req as AuthedRequest).agent, note });
      const [view] = await names([conv]);
      res.json({ conversation: view });
    }),
  );

  r.get(
    '/conversations/:id/events',
    route(async (req, res) => {
      const conv = await visibleConversation(models, (req as AuthedRequest).agent, parse(id, req.params.id));
      const events = await models.ConversationEvent.find({ conversationId: conv._id })
        .sort({ at: 1, _id: 1 })
        .limit(5000)
        .lean();
      res.json({
        events: events.map((e) => ({
          id: String(e._id),
          type: e.type,
          actor: { type: e.actor.type, id: e.actor.id ? String(e.actor.id) : null },
          data: e.data,
          at: e.at.toISOString(),
        })),
      });
    }),
  );

  r.get(
    '/contacts/:id',
    route(async (req, res) => {
      const me = (req as AuthedRequest).agent;
      const contactId = parse(id, req.params.id);
      await assertSeesContact(models, me, contactId);
      const contact = await models.Contact.findById(contactId).lean<ContactDoc>();
      if (!contact) throw new NotFound('Contact');
      const convs = await models.Conversation.find({ contactId: contact._id, ...conversationFilter(me) })
        .sort({ createdAt: -1 })
        .limit(100)
        .lean<ConversationDoc[]>();
      res.json({
        contact: contactView(contact),
        conversations: await names(convs),
      });
    }),
  );

  r.get(
    '/reports/attainment',
    requireRole(access, ['supervisor', 'admin']),
    route(async (req, res) => {
      const p = parse(Period, req.query);
      const to = p.to ?? new Date();
      const from = p.from ?? new Date(new Date(to).setUTCHours(0, 0, 0, 0));
      const rows = await models.SlaMeasurement.find({
        ...teamFilter((req as AuthedRequest).agent),
        stoppedAt: { $gte: from, $lte: to },
        clock: { $in: ['pickup', 'reply'] },
      }).lean<(SlaMeasurementDoc & { clock: 'pickup' | 'reply' })[]>();
      const groups = new Map<
        string,
        { pickup: { total: number; met: number }; reply: { total: number; met: number } }
      >();
      for (const m of rows) {
        const key =
          p.groupBy === 'agent'
            ? String(m.agentId)
            : p.groupBy === 'inbox'
              ? String(m.inboxId)
              : p.groupBy === 'channel'
                ? m.channel
                : p.groupBy === 'team'
                  ? String(m.teamId)
                  : 'all';
        const g = groups.get(key) ?? { pickup: { total: 0, met: 0 }, reply: { total: 0, met: 0 } };
        g[m.clock].total++;
        if (m.met) g[m.clock].met++;
        groups.set(key, g);
      }
      const shape = (x: { total: number; met: number }) => ({ ...x, ratio: attainment(x.met, x.total) });
      const list = [...groups.entries()].map(([key, g]) => ({
        key,
        pickup: shape(g.pickup),
        reply: shape(g.reply),
      }));
      const all = list.find((g) => g.key === 'all');
      res.json({
        from: from.toISOString(),
        to: to.toISOString(),
        pickup: all?.pickup ?? shape(sum(list.map((g) => g.pickup))),
        reply: all?.reply ?? shape(sum(list.map((g) => g.reply))),
        groups: p.groupBy ? list : [],
      });
    }),
  );
  return r;
}

function sum(xs: { total: number; met: number }[]) {
  return xs.reduce((a, x) => ({ total: a.total + x.total, met: a.met + x.met }), { total: 0, met: 0 });
}
