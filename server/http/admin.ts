/** Administration of inboxes, agents and teams. Inbox settings are validated by their channel's schema. */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import type { Channel } from '../domain/channel';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import type { StaffAudit } from '../audit/log';
import { isDuplicateKey, type Models } from '../domain/models';
import { AGENT_ROLES, CHANNEL_KINDS, LOCALES, type ChannelKind } from '../domain/types';
import { agentView } from '../domain/views';
import { hashPassword } from '../auth/passwords';
import type { AgentAccess } from '../auth/access';
import type { Seats } from '../routing/seats';
import { agentFilter } from '../access/rules';
import { requireRole, type AuthedRequest } from './auth';
import { parse, route } from './errors';
import { inboxView, keepSecrets, settingNames } from './inbox-view';
import { teamsRouter } from './teams';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const sla = z
  .object({
    pickupTargetMs: z.number().int().positive().optional(),
    replyTargetMs: z.number().int().positive().optional(),
  })
  .strict();
const InboxCreate = z.object({
  name: z.string().trim().min(1).max(200),
  channel: z.enum(CHANNEL_KINDS),
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{4,64}$/, 'letters, digits, _ or -, 4 to 64')
    .optional(),
  settings: z.record(z.unknown()).default({}),
  teamId: id.nullable().optional(),
  calendarId: id.nullable().optional(),
  secondLineTeamId: id.nullable().optional(),
  locale: z.enum(LOCALES).default('en'),
  outOfHoursReply: z.boolean().default(true),
  sla: sla.default({}),
  /** Satisfaction surveys on this inbox: null (or absent) follows CSAT_ENABLED. */
  csat: z.object({ enabled: z.boolean().nullable() }).strict().default({ enabled: null }),
  enabled: z.boolean().default(true),
});
const InboxUpdate = InboxCreate.omit({ channel: true, key: true })
  .partial()
  .extend({
    locale: z.enum(LOCALES).optional(),
    outOfHoursReply: z.boolean().optional(),
    csat: z.object({ enabled: z.boolean().nullable() }).strict().optional(),
  });
const AgentCreate = z.object({
  email: z.string().email().max(320),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(1024),
  role: z.enum(AGENT_ROLES).default('agent'),
  capacity: z.number().int().min(0).max(100).optional(),
  skills: z.array(z.string().max(64)).max(50).default([]),
  teamIds: z.array(id).max(50).default([]),
});
const AgentUpdate = AgentCreate.partial().extend({ active: z.boolean().optional() });
function duplicateEmail(err: unknown): never {
  if (isDuplicateKey(err)) throw new Conflict('duplicate_email', 'An agent with this email exists.');
  throw err;
}

export interface InboxLifecycle {
  /** An inbox was created or changed: every gateway process (re)starts or stops it. */
  changed(inboxId: string): Promise<void>;
  /** An account was disabled, or its password or role changed: its open connections end now. */
  endSessions(agentId: string): Promise<void>;
}

export function adminRouter(
  models: Models,
  access: AgentAccess,
  seats: Seats,
  channels: Map<ChannelKind, Channel>,
  life: InboxLifecycle,
  defaultCapacity: number,
  audit: StaffAudit,
  /** PUBLIC_URL; without it, the address the admin's browser reached the gateway at. */
  publicUrl: string | undefined,
) {
  const r = express.Router();
  const view = (req: express.Request) => (i: InboxDoc) =>
    inboxView(i, channels.get(i.channel), publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const target = (kind: string, of: { _id: unknown }) => ({ kind, id: String(of._id) });
  const admin = requireRole(access, ['admin']);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);

  const checkSettings = (channel: ChannelKind, settings: Record<string, unknown>) => {
    const c = channels.get(channel);
    if (!c) throw new InvalidInput(`The ${channel} channel is not enabled on this gateway.`);
    const parsed = c.settingsSchema.safeParse(settings);
    if (!parsed.success)
      throw new InvalidInput(
        parsed.error.issues.map((i) => `${['settings', ...i.path].join('.')}: ${i.message}`).join('; '),
      );
    return parsed.data;
  };
  const checkCalendar = async (calendarId: string | null | undefined) => {
    if (calendarId && !(await models.Calendar.exists({ _id: calendarId })))
      throw new InvalidInput('calendarId: no calendar has this id.');
  };
  /** An inbox escalates to an existing second-line team, not to its own team. */
  const checkSecondLine = async (secondLine: string | null | undefined, teamId: unknown) => {
    if (!secondLine) return;
    const team = await models.Team.findById(secondLine, { tier: 1 }).lean();
    if (!team) throw new InvalidInput('secondLineTeamId: no such team');
    if (team.tier !== 'second')
      throw new InvalidInput('secondLineTeamId: the team is not a second-line team');
    if (String(teamId) === secondLine) throw new InvalidInput('secondLineTeamId: must differ from teamId');
  };

  r.get(
    '/inboxes',
    staff,
    route(async (req, res) => {
      const all = await models.Inbox.find().sort({ name: 1 }).lean<InboxDoc[]>();
      res.json({ inboxes: all.map(view(req)) });
    }),
  );
  r.post(
    '/inboxes',
    admin,
    route(async (req, res) => {
      const body = parse(InboxCreate, req.body);
      const settings = checkSettings(body.channel, body.settings);
      await checkCalendar(body.calendarId);
      await checkSecondLine(body.secondLineTeamId, body.teamId);
      try {
        const created = await models.Inbox.create({
          ...body,
          settings,
          key: body.key ?? randomBytes(9).toString('base64url'),
        });
        const inbox = created.toObject();
        await life.changed(String(inbox._id));
        await audit.byRequest(req, {
          action: 'inbox.created',
          target: target('inbox', inbox),
          details: { name: inbox.name, channel: inbox.channel, settings: settingNames(inbox.settings) },
        });
        res.status(201).json({ inbox: view(req)(inbox) });
      } catch (err) {
        if (isDuplicateKey(err)) throw new Conflict('duplicate_key', 'An inbox with this key exists.');
        throw err;
      }
    }),
  );
  r.patch(
    '/inboxes/:id',
    admin,
    route(async (req, res) => {
      const inboxId = parse(id, req.params.id);
      const body = parse(InboxUpdate, req.body);
      const inbox = await models.Inbox.findById(inboxId).lean<InboxDoc>();
      if (!inbox) throw new NotFound('Inbox');
      await checkCalendar(body.calendarId);
      await checkSecondLine(body.secondLineTeamId, body.teamId === undefined ? inbox.teamId : body.teamId);
      const set: Record<string, unknown> = { ...body };
      // Enabling an archived inbox brings it back.
      if (body.enabled === true) set.archivedAt = null;
      if (body.settings)
        set.settings = checkSettings(inbox.channel, keepSecrets(body.settings, inbox.settings));
      await models.Inbox.updateOne({ _id: inbox._id }, { $set: set });
      const next = await models.Inbox.findById(inbox._id).lean<InboxDoc>();
      if (!next) throw new NotFound('Inbox');
      await life.changed(String(next._id));
      const { settings, ...changed } = body;
      await audit.byRequest(req, {
        action: 'inbox.updated',
        target: target('inbox', next),
        details: {
          fields: Object.keys(body),
          ...changed,
          ...(settings ? { settings: settingNames(settings) } : {}),
        },
      });
      res.json({ inbox: view(req)(next) });
    }),
  );
  r.delete(
    '/inboxes/:id',
    admin,
    route(async (req, res) => {
      const inboxId = parse(id, req.params.id);
      const inbox = await models.Inbox.findById(inboxId).lean<InboxDoc>();
      if (!inbox) throw new NotFound('Inbox');
      if (await models.PolicyRule.exists({ 'match.inboxIds': inbox._id }))
        throw new Conflict(
          'inbox_in_use',
          'A service-level policy names this inbox; take it out of the policy first.',
        );
      if (await models.Conversation.exists({ inboxId: inbox._id })) {
        // Its conversations keep naming it: it is disabled and archived, not deleted.
        await models.Inbox.updateOne(
          { _id: inbox._id },
          { $set: { enabled: false, archivedAt: new Date() } },
        );
        const archived = await models.Inbox.findById(inbox._id).lean<InboxDoc>();
        if (!archived) throw new NotFound('Inbox');
        await life.changed(inboxId);
        await audit.byRequest(req, {
          action: 'inbox.archived',
          target: target('inbox', inbox),
          details: { name: inbox.name },
        });
        res.json({ inbox: view(req)(archived), archived: true });
        return;
      }
      await models.Inbox.deleteOne({ _id: inbox._id });
      await life.changed(inboxId);
      await audit.byRequest(req, {
        action: 'inbox.deleted',
        target: target('inbox', inbox),
        details: { name: inbox.name },
      });
      res.status(204).end();
    }),
  );

  r.get(
    '/agents',
    staff,
    route(async (req, res) => {
      const agents = await models.Agent.find(agentFilter((req as AuthedRequest).agent))
        .sort({ name: 1 })
        .lean<AgentDoc[]>();
      const loads = await seats.loads(agents.map((a) => a._id));
      res.json({ agents: agents.map((a) => agentView(a, loads.get(String(a._id)) ?? 0)) });
    }),
  );
  r.post(
    '/agents',
    admin,
    route(async (req, res) => {
      const body = parse(AgentCreate, req.body);
      try {
        const created = await models.Agent.create({
          ...body,
          email: body.email.toLowerCase(),
          capacity: body.capacity ?? defaultCapacity,
          passwordHash: await hashPassword(body.password),
          teamIds: (body.teamIds ?? []).map((t) => new Types.ObjectId(t)),
        });
        await audit.byRequest(req, {
          action: 'agent.created',
          target: target('agent', created),
          details: { email: created.email, role: created.role, teamIds: body.teamIds },
        });
        res.status(201).json({ agent: agentView(created.toObject(), 0) });
      } catch (err) {
        duplicateEmail(err);
      }
    }),
  );
  r.patch(
    '/agents/:id',
    admin,
    route(async (req, res) => {
      const agentId = parse(id, req.params.id);
      const { password, ...rest } = parse(AgentUpdate, req.body);
      const before = await models.Agent.findById(agentId, { role: 1 }).lean<AgentDoc>();
      const set: Record<string, unknown> = { ...rest };
      if (password) set.passwordHash = await hashPassword(password);
      if (rest.email) set.email = rest.email.toLowerCase();
      // A new password or role ends every session signed in before it (their tokens carry the old epoch).
      const revoke = !!password || (!!rest.role && !!before && before.role !== rest.role);
      const update = revoke ? { $set: set, $inc: { sessionEpoch: 1 } } : { $set: set };
      const updated = await models.Agent.findOneAndUpdate({ _id: agentId }, update, { new: true })
        .lean<AgentDoc>()
        .catch(duplicateEmail);
      if (!updated) throw new NotFound('Agent');
      if (!updated.active || revoke) await life.endSessions(agentId);
      const t = target('agent', updated);
      // The password itself never goes into the log: only that it was reset.
      await audit.byRequest(req, {
        action: 'agent.updated',
        target: t,
        details: { fields: Object.keys(rest), ...rest },
      });
      if (password) await audit.byRequest(req, { action: 'agent.password_reset', target: t });
      if (rest.role && before && before.role !== rest.role)
        await audit.byRequest(req, {
          action: 'agent.role_changed',
          target: t,
          details: { from: before.role, to: rest.role },
        });
      res.json({ agent: agentView(updated, await seats.loadOf(updated._id)) });
    }),
  );

  r.use(teamsRouter(models, access, audit));
  return r;
}
