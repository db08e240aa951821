/**
 * Where each figure comes from: the collection, the time field a period matches on, the
 * field of each report group, and the filter of each outcome a drill-down can ask for.
 */
import { Types } from 'mongoose';
import type { Models } from '../domain/models';
import { CLOCK_KINDS, type ClockKind } from '../domain/types';

export const GROUPS = ['none', 'agent', 'team', 'inbox', 'channel', 'category'] as const;
export type Group = (typeof GROUPS)[number];

export const COMPLAINT_CLOCKS = [
  'complaint_acknowledgement',
  'complaint_solution',
  'complaint_follow_up',
] as const satisfies readonly ClockKind[];

/** The figures a drill-down or an export can be asked about. */
export const FIGURES = [...CLOCK_KINDS, 'complaints', 'csat', 'resolutions', 'followups'] as const;
export type Figure = (typeof FIGURES)[number];

export const OUTCOMES = [
  'met',
  'missed',
  'answered',
  'satisfied',
  'unsatisfied',
  'firstContact',
  'onTime',
  'late',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type SourceName = 'measurements' | 'surveys' | 'resolutions' | 'followups';

export interface Source {
  name: SourceName;
  model: (m: Models) => Models['SlaMeasurement' | 'Survey' | 'Resolution' | 'FollowUpTask'];
  /** The instant a record falls in a period by. */
  time: string;
  /** The field each group reads; null when the records do not carry it. */
  field: Record<Exclude<Group, 'none'>, string | null>;
  /** Always part of the match. */
  base: Record<string, unknown>;
}

const common = { team: 'teamId', inbox: 'inboxId', channel: 'channel', category: 'category' };

export const SOURCES: Record<SourceName, Source> = {
  measurements: {
    name: 'measurements',
    model: (m) => m.SlaMeasurement,
    time: 'stoppedAt',
    field: { agent: 'agentId', ...common },
    base: {},
  },
  surveys: {
    name: 'surveys',
    model: (m) => m.Survey,
    time: 'askedAt',
    field: { agent: 'agentId', ...common },
    base: {},
  },
  resolutions: {
    name: 'resolutions',
    model: (m) => m.Resolution,
    time: 'resolvedAt',
    field: { agent: 'agentId', ...common },
    base: {},
  },
  followups: {
    name: 'followups',
    model: (m) => m.FollowUpTask,
    time: 'doneAt',
    field: { agent: 'ownerAgentId', team: 'teamId', inbox: 'inboxId', channel: null, category: null },
    base: { status: 'done' },
  },
};

export function sourceOf(figure: Figure): Source {
  if (figure === 'csat') return SOURCES.surveys;
  if (figure === 'resolutions') return SOURCES.resolutions;
  if (figure === 'followups') return SOURCES.followups;
  return SOURCES.measurements;
}

const OUTCOME_FILTER: Record<Outcome, [SourceName, Record<string, unknown>]> = {
  met: ['measurements', { met: true }],
  missed: ['measurements', { met: false }],
  answered: ['surveys', { satisfied: { $ne: null } }],
  satisfied: ['surveys', { satisfied: true }],
  unsatisfied: ['surveys', { satisfied: false }],
  firstContact: ['resolutions', { firstContact: true }],
  onTime: ['followups', { 'clock.breachedAt': null }],
  late: ['followups', { 'clock.breachedAt': { $ne: null } }],
};

/** The records of a figure (and outcome) in a range; null when the outcome is not one of the figure's. */
export function figureMatch(figure: Figure, outcome: Outcome | undefined): Record<string, unknown> | null {
  const source = sourceOf(figure);
  const match: Record<string, unknown> = { ...source.base };
  if (figure === 'complaints') match.clock = { $in: COMPLAINT_CLOCKS };
  else if ((CLOCK_KINDS as readonly string[]).includes(figure)) match.clock = figure;
  if (outcome) {
    const [of, filter] = OUTCOME_FILTER[outcome];
    if (of !== source.name) return null;
    Object.assign(match, filter);
  }
  return match;
}

/** Who may be counted: every team, or the caller's teams only. */
export interface Scope {
  teamIds: string[] | null;
}

const ID_FIELDS = new Set(['agentId', 'ownerAgentId', 'teamId', 'inboxId']);

/** The filter of one group's value (`null`: the records without one). */
export function groupMatch(source: Source, group: Group, value: string | null): Record<string, unknown> {
  if (group === 'none') return {};
  const field = source.field[group];
  if (!field) return value === null ? {} : { _id: null };
  if (value === null) return { [field]: null };
  if (ID_FIELDS.has(field))
    return Types.ObjectId.isValid(value) ? { [field]: new Types.ObjectId(value) } : { _id: null };
  return { [field]: value };
}

export function rangeMatch(source: Source, from: Date, to: Date, scope: Scope): Record<string, unknown> {
  const match: Record<string, unknown> = { [source.time]: { $gte: from, $lt: to } };
  if (scope.teamIds) match.teamId = { $in: scope.teamIds.map((t) => new Types.ObjectId(t)) };
  return match;
}
