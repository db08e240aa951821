/**
 * The access model in one place. A conversation belongs to one team at a time (its
 * inbox's team when it opens, the team it is transferred or escalated to afterwards; none
 * when the inbox has no team, and then it is the whole floor's). Agents and supervisors
 * see what belongs to their teams, plus what they hold; admins see everything. Acting on
 * a conversation someone else holds needs a transfer, except for supervisors of its team
 * and admins. What a person may not see is answered as not found, so other teams'
 * conversations do not reveal that they exist.
 */
import type { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import { NotAssignedToYou, NotFound } from '../domain/errors';
import type { AgentRole } from '../domain/types';

/** Who is asking, as their account says now. */
export interface Scope {
  agentId: string;
  role: AgentRole;
  teamIds: string[];
}

type Id = Types.ObjectId | string | null | undefined;
export type ConversationScope = Pick<ConversationDoc, 'teamId' | 'assigneeId'>;

export const scopeOf = (a: { _id: Id; role: AgentRole; teamIds?: Id[] | null }): Scope => ({
  agentId: String(a._id),
  role: a.role,
  teamIds: (a.teamIds ?? []).map(String),
});

export const seesEverything = (s: Scope) => s.role === 'admin';

/** Acting for the service itself on someone's behalf (a closed complaint resolves its conversation). */
export const authority = (agentId: string): Scope => ({ agentId, role: 'admin', teamIds: [] });

/** The team (or the whole floor, for none) is one of the asker's. */
export const inTeams = (s: Scope, teamId: Id) =>
  seesEverything(s) || !teamId || s.teamIds.includes(String(teamId));

export const sees = (s: Scope, c: ConversationScope) =>
  inTeams(s, c.teamId) || (!!c.assigneeId && String(c.assigneeId) === s.agentId);

/** Reply, note, typing, read, resolve, reopen, classify, escalate, take: the holder's or nobody's, or a supervisor's of its team. */
export const handles = (s: Scope, c: ConversationScope) =>
  sees(s, c) && (s.role !== 'agent' || !c.assigneeId || String(c.assigneeId) === s.agentId);

export function assertSees<C extends ConversationScope>(s: Scope, c: C | null | undefined): C {
  if (!c || !sees(s, c)) throw new NotFound('Conversation');
  return c;
}

export function assertHandles<C extends ConversationScope>(s: Scope, c: C | null | undefined): C {
  assertSees(s, c);
  if (!handles(s, c!)) throw new NotAssignedToYou();
  return c!;
}

/** The list-query form of `sees`: a filter on conversations. */
export function conversationFilter(s: Scope): Record<string, unknown> {
  if (seesEverything(s)) return {};
  return {
    $or: [{ teamId: null }, { teamId: { $in: s.teamIds } }, { assigneeId: s.agentId }],
  };
}

/** Records that carry a team (shifts, follow-ups, measurements): the asker's teams and the floor's, or all for admins. */
export function teamFilter(s: Scope, field = 'teamId'): Record<string, unknown> {
  if (seesEverything(s)) return {};
  return { [field]: { $in: [null, ...s.teamIds] } };
}

/** Colleagues: oneself, the people one shares a team with; admins see everyone. */
export const seesAgent = (s: Scope, a: { _id: Id; teamIds?: Id[] | null }) =>
  seesEverything(s) ||
  String(a._id) === s.agentId ||
  (a.teamIds ?? []).some((t) => s.teamIds.includes(String(t)));

export function agentFilter(s: Scope): Record<string, unknown> {
  if (seesEverything(s)) return {};
  return { $or: [{ _id: s.agentId }, { teamIds: { $in: s.teamIds } }] };
}
