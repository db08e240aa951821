/** Administration of teams: first-line and second-line groups of agents. A team still in use is not deleted. */
import express from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import type { TeamDoc } from '../domain/team';
import { TEAM_TIERS } from '../domain/types';
import { requireRole } from './auth';
import { parse, route } from './errors';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
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

function duplicateName(err: unknown): never {
  if (isDuplicateKey(err)) throw new Conflict('duplicate_name', 'A team with this name exists.');
  throw err;
}

export function teamsRouter(models: Models, access: AgentAccess, audit: StaffAudit) {
  const r = express.Router();
  const admin = requireRole(access, ['admin']);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const target = (t: { _id: unknown }) => ({ kind: 'team', id: String(t._id) });

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
      const t = await models.Team.create(body).catch(duplicateName);
      await audit.byRequest(req, { action: 'team.created', target: target(t), details: body });
      res.status(201).json({ team: teamView(t.toObject()) });
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
      await audit.byRequest(req, { action: 'team.updated', target: target(t), details: body });
      res.json({ team: teamView(t) });
    }),
  );
  r.delete(
    '/teams/:id',
    admin,
    route(async (req, res) => {
      const teamId = new Types.ObjectId(parse(id, req.params.id));
      const team = await models.Team.findById(teamId).lean<TeamDoc>();
      if (!team) throw new NotFound('Team');
      const members = await models.Agent.countDocuments({ teamIds: teamId });
      if (members > 0)
        throw new Conflict(
          'team_has_members',
          `The team has ${members} member${members === 1 ? '' : 's'}; move them to another team first.`,
        );
      if (await models.Inbox.exists({ $or: [{ teamId }, { secondLineTeamId: teamId }] }))
        throw new Conflict(
          'team_in_use',
          'An inbox routes or escalates to this team; change the inbox first.',
        );
      await models.Team.deleteOne({ _id: teamId });
      await audit.byRequest(req, {
        action: 'team.deleted',
        target: target(team),
        details: { name: team.name },
      });
      res.status(204).end();
    }),
  );
  return r;
}
