/**
 * Canned responses: who may see and manage which. Agents get the global ones and their
 * teams'; supervisors also manage their teams' ones; admins manage every one.
 */
import { Types } from 'mongoose';
import type { z } from 'zod';
import type { AgentDoc } from '../domain/agent';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import type { CannedResponseDoc } from './model';
import type { CreateCanned, UpdateCanned } from './schemas';

export class DuplicateShortcut extends Conflict {
  constructor(shortcut: string) {
    super('duplicate_shortcut', `The shortcut "/${shortcut}" is taken in this scope.`);
  }
}

const teamsOf = (a: AgentDoc) => (a.teamIds ?? []).map(String);

/** Whether `a` may create, change or delete a canned response of `teamId` (null: global). */
export function mayManage(a: AgentDoc, teamId: string | null): boolean {
  if (a.role === 'admin') return true;
  return a.role === 'supervisor' && teamId !== null && teamsOf(a).includes(teamId);
}

export function cannedView(c: CannedResponseDoc, me: AgentDoc) {
  const teamId = c.teamId ? String(c.teamId) : null;
  return {
    id: String(c._id),
    title: c.title,
    shortcut: c.shortcut,
    text: c.text,
    teamId,
    editable: mayManage(me, teamId),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

export class CannedResponses {
  constructor(private readonly models: Models) {}

  /** What applies to `me` (admins: every one, or one team's with `teamId`), by shortcut. */
  async list(me: AgentDoc, teamId?: string): Promise<CannedResponseDoc[]> {
    const filter: Record<string, unknown> =
      me.role === 'admin'
        ? teamId
          ? { teamId }
          : {}
        : { $or: [{ teamId: null }, { teamId: { $in: me.teamIds ?? [] } }] };
    if (me.role !== 'admin' && teamId) filter.teamId = teamsOf(me).includes(teamId) ? teamId : null;
    return this.models.CannedResponse.find(filter)
      .sort({ shortcut: 1 })
      .limit(2000)
      .lean<CannedResponseDoc[]>();
  }

  async create(me: AgentDoc, b: z.output<typeof CreateCanned>): Promise<CannedResponseDoc> {
    await this.checkScope(me, b.teamId);
    try {
      const doc = await this.models.CannedResponse.create({
        ...b,
        teamId: b.teamId ? new Types.ObjectId(b.teamId) : null,
        createdBy: me._id,
        updatedBy: me._id,
      });
      return doc.toObject();
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateShortcut(b.shortcut);
      throw err;
    }
  }

  async update(me: AgentDoc, id: string, b: z.output<typeof UpdateCanned>): Promise<CannedResponseDoc> {
    const before = await this.find(me, id);
    if (b.teamId !== undefined) await this.checkScope(me, b.teamId);
    const set: Record<string, unknown> = { ...b, updatedBy: me._id };
    if (b.teamId !== undefined) set.teamId = b.teamId ? new Types.ObjectId(b.teamId) : null;
    try {
      const after = await this.models.CannedResponse.findOneAndUpdate(
        { _id: before._id },
        { $set: set },
        { new: true },
      ).lean<CannedResponseDoc>();
      if (!after) throw new NotFound('Canned response');
      return after;
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateShortcut(b.shortcut ?? before.shortcut);
      throw err;
    }
  }

  async remove(me: AgentDoc, id: string): Promise<CannedResponseDoc> {
    const doc = await this.find(me, id);
    await this.models.CannedResponse.deleteOne({ _id: doc._id });
    return doc;
  }

  /** The response, if `me` may manage it; one of another team's is "not found" to a supervisor. */
  private async find(me: AgentDoc, id: string): Promise<CannedResponseDoc> {
    const doc = await this.models.CannedResponse.findById(id).lean<CannedResponseDoc>();
    if (!doc) throw new NotFound('Canned response');
    const teamId = doc.teamId ? String(doc.teamId) : null;
    if (!mayManage(me, teamId)) {
      if (teamId !== null && !teamsOf(me).includes(teamId)) throw new NotFound('Canned response');
      throw new Forbidden(
        teamId === null ? 'Only admins manage global canned responses.' : 'You may not change this one.',
      );
    }
    return doc;
  }

  private async checkScope(me: AgentDoc, teamId: string | null): Promise<void> {
    if (!mayManage(me, teamId))
      throw new Forbidden(
        teamId === null
          ? 'Only admins manage global canned responses.'
          : 'Supervisors manage the canned responses of their own teams.',
      );
    if (teamId !== null && !(await this.models.Team.exists({ _id: teamId })))
      throw new InvalidInput('teamId: there is no such team.');
  }
}
