/**
 * Drill-down: the records behind a figure (a clock's measurements, the surveys, the
 * resolutions, the follow-ups done) for the figure's range, group and outcome, newest
 * first, a page at a time, each with its conversation's number and contact.
 */
import type { Types } from 'mongoose';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import { InvalidInput } from '../domain/errors';
import type { Models } from '../domain/models';
import {
  figureMatch,
  groupMatch,
  rangeMatch,
  sourceOf,
  type Figure,
  type Group,
  type Outcome,
  type Scope,
  type Source,
} from './sources';

export interface DrillQuery {
  figure: Figure;
  outcome?: Outcome;
  from: Date;
  to: Date;
  groupBy: Group;
  /** The group's value; null for the records without one. Ignored when not grouped. */
  group: string | null;
  scope: Scope;
}

/** A record any source holds, as far as the drill-down and the export read it. */
export interface SourceRecord {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId | null;
  contactId?: Types.ObjectId;
  channel?: string;
  inboxId?: Types.ObjectId | null;
  teamId?: Types.ObjectId | null;
  agentId?: Types.ObjectId | null;
  ownerAgentId?: Types.ObjectId | null;
  category?: string | null;
  /** A measurement's clock kind; a follow-up's due clock. */
  clock?: unknown;
  met?: boolean;
  elapsedMs?: number;
  targetMs?: number;
  rating?: number | null;
  satisfied?: boolean | null;
  firstContact?: boolean;
  handleMs?: number;
  dueAt?: Date;
  [time: string]: unknown;
}

export function drillFilter(q: DrillQuery): { source: Source; match: Record<string, unknown> } {
  const source = sourceOf(q.figure);
  const figure = figureMatch(q.figure, q.outcome);
  if (!figure) throw new InvalidInput(`outcome: ${q.outcome ?? ''} is not an outcome of ${q.figure}`);
  return {
    source,
    match: {
      ...rangeMatch(source, q.from, q.to, q.scope),
      ...groupMatch(source, q.groupBy, q.group),
      ...figure,
    },
  };
}

/** What a record says about its figure: met or missed, the rating, first contact, on time. */
export function outcomeOf(source: Source, r: SourceRecord): string {
  switch (source.name) {
    case 'measurements':
      return r.met ? 'met' : 'missed';
    case 'surveys':
      return r.satisfied === true ? 'satisfied' : r.satisfied === false ? 'unsatisfied' : 'unanswered';
    case 'resolutions':
      return r.firstContact ? 'firstContact' : 'notFirstContact';
    case 'followups':
      return (r.clock as { breachedAt?: Date | null } | undefined)?.breachedAt ? 'late' : 'onTime';
  }
}

export interface DrillItem {
  recordId: string;
  conversationId: string | null;
  number: number | null;
  name: string | null;
  channel: string | null;
  status: string | null;
  at: string;
  outcome: string;
  clock: string | null;
  elapsedMs: number | null;
  rating: number | null;
}

/** The conversations and contact names of a batch of records, read in two queries. */
export async function conversationsOf(models: Models, list: SourceRecord[]) {
  const convIds = [
    ...new Set(
      list
        .map((r) => r.conversationId)
        .filter((x) => x !== null)
        .map(String),
    ),
  ];
  const convs = await models.Conversation.find(
    { _id: { $in: convIds } },
    { number: 1, contactId: 1, channel: 1, status: 1 },
  ).lean<ConversationDoc[]>();
  const byId = new Map(convs.map((c) => [String(c._id), c]));
  const contactIds = [
    ...new Set([
      ...convs.map((c) => String(c.contactId)),
      ...list.flatMap((r) => (r.contactId ? [String(r.contactId)] : [])),
    ]),
  ];
  const contacts = await models.Contact.find({ _id: { $in: contactIds } }, { name: 1 }).lean<ContactDoc[]>();
  const names = new Map(contacts.map((c) => [String(c._id), c.name]));
  return (r: SourceRecord) => {
    const conv = r.conversationId ? byId.get(String(r.conversationId)) : undefined;
    const contactId = conv ? String(conv.contactId) : r.contactId ? String(r.contactId) : null;
    return { conv: conv ?? null, name: contactId ? (names.get(contactId) ?? null) : null };
  };
}

export async function drill(
  models: Models,
  q: DrillQuery,
  page: { page: number; pageSize: number },
): Promise<{ total: number; page: number; pageSize: number; items: DrillItem[] }> {
  const { source, match } = drillFilter(q);
  const model = source.model(models) as unknown as Models['SlaMeasurement'];
  const [total, list] = await Promise.all([
    model.countDocuments(match),
    model
      .find(match)
      .sort({ [source.time]: -1, _id: -1 })
      .skip((page.page - 1) * page.pageSize)
      .limit(page.pageSize)
      .lean<SourceRecord[]>(),
  ]);
  const of = await conversationsOf(models, list);
  const items = list.map((r): DrillItem => {
    const { conv, name } = of(r);
    return {
      recordId: String(r._id),
      conversationId: conv ? String(conv._id) : null,
      number: conv?.number ?? null,
      name,
      channel: conv?.channel ?? r.channel ?? null,
      status: conv?.status ?? null,
      at: new Date(r[source.time] as Date).toISOString(),
      outcome: outcomeOf(source, r),
      clock: typeof r.clock === 'string' ? r.clock : null,
      elapsedMs: r.elapsedMs ?? r.handleMs ?? null,
      rating: r.rating ?? null,
    };
  });
  return { total, page: page.page, pageSize: page.pageSize, items };
}
