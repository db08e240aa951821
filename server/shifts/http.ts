/** REST API of shifts: supervisors and admins keep the rota; agents read theirs and write the handover note. */
import express from 'express';
import { Types } from 'mongoose';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import { agentOf } from '../complaints/http';
import type { AgentDoc } from '../domain/agent';
import { InvalidInput, NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import type { Handovers } from './handover';
import type { ShiftDoc } from './model';
import type { ShiftRota } from './rota';
import { HandoverNote, ShiftCreate, ShiftUpdate } from './schemas';
import { shiftView } from './views';

const id = ShiftCreate.shape.teamId;

/** What an agent's console needs at sign-in: their shifts, the presence they give, the handover. */
export async function mine(rota: ShiftRota, handovers: Handovers, agent: AgentDoc) {
  const duty = await rota.dutyOf(String(agent._id));
  const now = rota.now();
  return {
    onRota: duty.onRota,
    onDuty: duty.onDuty,
    presence: duty.onRota && !duty.onDuty ? ('away' as const) : ('online' as const),
    shifts: duty.shifts.map((s) => shiftView(s.doc, now)),
    handover: await handovers.latestFor(agent),
  };
}

export function shiftsRouter(
  models: Models,
  access: AgentAccess,
  rota: ShiftRota,
  handovers: Handovers,
  audit: StaffAudit,
) {
  const r = express.Router();
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const managers = requireRole(access, ['supervisor', 'admin']);

  const checkPeople = async (teamId: string | null, agentIds: string[] | undefined) => {
    if (teamId && !(await models.Team.exists({ _id: teamId })))
      throw new InvalidInput('teamId: there is no such team.');
    if (agentIds?.length) {
      const n = await models.Agent.countDocuments({ _id: { $in: agentIds }, active: true });
      if (n !== new Set(agentIds).size)
        throw new InvalidInput('agentIds: every agent must be an active agent.');
    }
  };

  r.get(
    '/shifts',
    staff,
    route(async (req, res) => {
      const me = await agentOf(models, req);
      const teamId = req.query.teamId === undefined ? null : parse(id, req.query.teamId);
      // Agents and supervisors read the rota of their own teams (the access model); admins every team's.
      const teams = me.role === 'admin' ? null : me.teamIds.map(String);
      const filter: Record<string, unknown> = {};
      if (teamId) filter.teamId = teams && !teams.includes(teamId) ? null : teamId;
      else if (teams) filter.teamId = { $in: teams };
      const list = await models.Shift.find(filter).sort({ teamId: 1, name: 1 }).lean<ShiftDoc[]>();
      res.json({ shifts: list.map((s) => shiftView(s, rota.now())) });
    }),
  );

  r.get(
    '/shifts/mine',
    staff,
    route(async (req, res) => {
      res.json(await mine(rota, handovers, await agentOf(models, req)));
    }),
  );

  r.post(
    '/shifts',
    managers,
    route(async (req, res) => {
      const b = parse(ShiftCreate, req.body ?? {});
      await checkPeople(b.teamId, b.agentIds);
      const doc = await models.Shift.create(b);
      rota.changed();
      await audit.byRequest(req, { action: 'shift.created', target: { kind: 'shift', id: String(doc._id) } });
      res.status(201).json({ shift: shiftView(doc.toObject(), rota.now()) });
    }),
  );

  r.patch(
    '/shifts/:id',
    managers,
    route(async (req, res) => {
      const shiftId = parse(id, req.params.id);
      const b = parse(ShiftUpdate, req.body ?? {});
      await checkPeople(null, b.agentIds);
      const doc = await models.Shift.findOneAndUpdate(
        { _id: shiftId },
        { $set: b },
        { new: true },
      ).lean<ShiftDoc>();
      if (!doc) throw new NotFound('Shift');
      rota.changed();
      await audit.byRequest(req, { action: 'shift.changed', target: { kind: 'shift', id: shiftId } });
      res.json({ shift: shiftView(doc, rota.now()) });
    }),
  );

  r.delete(
    '/shifts/:id',
    managers,
    route(async (req, res) => {
      const shiftId = parse(id, req.params.id);
      const gone = await models.Shift.deleteOne({ _id: new Types.ObjectId(shiftId) });
      if (gone.deletedCount === 0) throw new NotFound('Shift');
      rota.changed();
      await audit.byRequest(req, { action: 'shift.deleted', target: { kind: 'shift', id: shiftId } });
      res.status(204).end();
    }),
  );

  r.put(
    '/shifts/:id/handover',
    staff,
    route(async (req, res) => {
      const shiftId = parse(id, req.params.id);
      const { note } = parse(HandoverNote, req.body ?? {});
      const h = await handovers.write(await agentOf(models, req), shiftId, note);
      res.json({ handover: await handovers.view(h) });
    }),
  );

  return r;
}
