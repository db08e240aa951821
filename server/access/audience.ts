/**
 * Who hears about what, following the access rules: the rooms a signed-in socket joins
 * for its scope, and the rooms an event about a conversation, a colleague or a team goes to.
 */
import type { Types } from 'mongoose';
import { rooms } from '../realtime/rooms';
import { seesEverything, type Scope } from './rules';

type Id = Types.ObjectId | string | null | undefined;

/** The queue a scope sees is named by its teams: everyone with the same teams shares one broadcast. */
export const queueKey = (s: Pick<Scope, 'role' | 'teamIds'>) =>
  seesEverything(s as Scope) ? '*' : [...s.teamIds].sort().join(',');

export const teamsOfQueueKey = (key: string): string[] | null =>
  key === '*' ? null : key ? key.split(',') : [];

export function roomsOf(s: Scope): string[] {
  return [
    rooms.agent(s.agentId),
    rooms.allAgents,
    rooms.queue(queueKey(s)),
    ...s.teamIds.map(rooms.team),
    ...(s.role === 'agent' ? [] : [rooms.supervisors, ...s.teamIds.map(rooms.teamSupervisors)]),
    ...(s.role === 'admin' ? [rooms.admins] : []),
  ];
}

/** Supervisors of the team, admins; every supervisor when the conversation belongs to no team. */
export const overseersOf = (teamId: Id): string[] =>
  teamId ? [rooms.teamSupervisors(String(teamId)), rooms.admins] : [rooms.supervisors];

/** A conversation's watchers, its holder and its overseers. */
export function aboutConversation(c: { _id: Id; teamId: Id; assigneeId: Id }): string[] {
  const targets = [rooms.conversation(String(c._id)), ...overseersOf(c.teamId)];
  if (c.assigneeId) targets.push(rooms.agent(String(c.assigneeId)));
  return targets;
}

/** A colleague's presence and load: their teams, admins, themselves. */
export const colleaguesOf = (a: { _id: Id; teamIds?: Id[] | null }): string[] => [
  rooms.agent(String(a._id)),
  rooms.admins,
  ...(a.teamIds ?? []).map((t) => rooms.team(String(t))),
];
