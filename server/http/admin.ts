/** Administration of inboxes, agents and teams. Inbox settings are validated by their channel's schema. */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import type { Channel } from '../domain/channel';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import type { InboxDoc } from '../domain/inbox';
import { isDuplicateKey, type Models } from '../domain/models';
import type { TeamDoc } from '../domain/team';
import { AGENT_ROLES, CHANNEL_KINDS, LOCALES, TEAM_TIERS, type ChannelKind } from '../domain/types';
import { agentView } from '../domain/views';
import { hashPassword } from '../auth/passwords';
import type { AgentAccess } from '../auth/access';
import type { Seats } from '../routing/seats';
import { requireRole } from './auth';
import { parse, route } from './errors';

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
const TeamCreate = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  tier: z.enum(TEAM_TIERS).default('first'),
});
const TeamUpdate = TeamCreate.partial();
const teamView = (t: TeamDoc) => ({
  id: String(t._id),
  name: t.name,
  description: t.description,
  tier: t.tier,
});

/** Public view of an inbox: secrets in settings never leave the server. */
function inboxView(i: InboxDoc, channel: Channel | undefined) {
  return {
    id: String(i._id),
    name: i.name,
    channel: i.channel,
    key: i.key,
    teamId: i.teamId ? String(i.teamId) : null,
    calendarId: i.calendarId ? String(i.calendarId) : null,
    secondLineTeamId: i.secondLineTeamId ? String(i.secondLineTeamId) : null,
    locale: i.locale ?? 'en',
    outOfHoursReply: i.outOfHoursReply !== false,
    sla: i.sla,
    csat: { enabled: i.csat?.enabled ?? null },
    enabled: i.enabled,
    state: i.state,
    settings: redact(i.settings),
    configured: channel !== undefined,
  };
}

const SECRET_KEY = /token|secret|password|pass$|apiKey/i;
const REDACTED = '[set]';

/** Settings with every secret value replaced by a marker, at any depth. */
function redact(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings ?? {})) {
    if (SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '') out[k] = REDACTED;
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** New settings where a secret sent back as the marker keeps its stored value. */
function keepSecrets(
  next: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    const old = stored?.[k];
    if (v === REDACTED && SECRET_KEY.test(k)) out[k] = old;
    else if (v && typeof v === 'object' && !Array.isArray(v) && old && typeof old === 'object')
      out[k] = keepSecrets(v as Record<string, unknown>, old as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

function duplicateName(err: unknown): never {
  if (isDuplicateKey(err)) throw new Conflict('duplicate_name', 'A team with this name exists.');
  throw err;
}

function duplicateEmail(err: unknown): never {
  if (isDuplicateKey(err)) throw new Conflict('duplicate_email', 'An agent with this email exists.');
  throw err;
}

export interface InboxLifecycle {
  /** An inbox was created or changed: every gateway process (re)starts or stops it. */
  changed(inboxId: string): Promise<void>;
  /** An account was disabled: its open connections end now. */
  agentDisabled(agentId: string): Promise<void>;
}

export function adminRouter(
  models: Models,
  access: AgentAccess,
  seats: Seats,
  channels: Map<ChannelKind, Channel>,
  life: InboxLifecycle,
  defaultCapacity: number,
) {
  const r = express.Router();
  const admin = requireRole(access, ['admin']);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);

  const checkSettings = (channel: ChannelKind, settings: Record<string, unknown>) => {
    const c = channels.get(channel);
    if (!c) throw new InvalidInput(`The ${channel} channel is not enabled on this gateway.`);
    const parsed = c.settingsSchema.safeParse(settings);
    if (!parsed.success)
      throw new InvalidInput(
        `settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
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
    route(async (_req, res) => {
      const all = await models.Inbox.find().sort({ name: 1 }).lean<InboxDoc[]>();
      res.json({ inboxes: all.map((i) => inboxView(i, channels.get(i.channel))) });
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
        res.status(201).json({ inbox: inboxView(inbox, channels.get(inbox.channel)) });
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
      if (body.settings)
        set.settings = checkSettings(inbox.channel, keepSecrets(body.settings, inbox.settings));
      await models.Inbox.updateOne({ _id: inbox._id }, { $set: set });
      const next = await models.Inbox.findById(inbox._id).lean<InboxDoc>();
      if (!next) throw new NotFound('Inbox');
      await life.changed(String(next._id));
      res.json({ inbox: inboxView(next, channels.get(next.channel)) });
    }),
  );

  r.get(
    '/agents',
    staff,
    route(async (_req, res) => {
      const agents = await models.Agent.find().sort({ name: 1 }).lean<AgentDoc[]>();
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
      const set: Record<string, unknown> = { ...rest };
      if (password) set.passwordHash = await hashPassword(password);
      if (rest.email) set.email = rest.email.toLowerCase();
      const updated = await models.Agent.findOneAndUpdate({ _id: agentId }, { $set: set }, { new: true })
        .lean<AgentDoc>()
        .catch(duplicateEmail);
      if (!updated) throw new NotFound('Agent');
      if (!updated.active) await life.agentDisabled(agentId);
      res.json({ agent: agentView(updated, await seats.loadOf(updated._id)) });
    }),
  );

  r.get(
    '/teams',
    staff,
    route(async (_req, res) => {
      const teams = await models.Team.find().sort({ name: 1 }).lean<TeamDoc[]>();
      res.json({ teams: teams.map(teamView) });
    }),
  );
  r.post(
    '/teams',
    admin,
    route(async (req, res) => {
      const body = parse(TeamCreate, req.body);
      try {
        const t = await models.Team.create(body);
        res.status(201).json({ team: teamView(t.toObject()) });
      } catch (err) {
        duplicateName(err);
      }
    }),
  );
  r.patch(
    '/teams/:id',
    admin,
    route(async (req, res) => {
      const teamId = parse(id, req.params.id);
      const body = parse(TeamUpdate, req.body);
      if (body.tier === 'first' && (await models.Inbox.exists({ secondLineTeamId: teamId })))
        throw new InvalidInput('tier: an inbox escalates to this team; it must stay second line');
      const t = await models.Team.findOneAndUpdate({ _id: teamId }, { $set: body }, { new: true })
        .lean<TeamDoc>()
        .catch(duplicateName);
      if (!t) throw new NotFound('Team');
      res.json({ team: teamView(t) });
    }),
  );
  return r;
}
