/** REST administration of service calendars, and their open/closed status at an instant. */
import express from 'express';
import { z } from 'zod';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { Conflict, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { parse, route } from '../http/errors';
import { describeCalendar } from './business-time';
import { CalendarInUse } from './errors';
import type { CalendarDoc } from './model';
import { CalendarFields, CalendarInput } from './spec';
import type { SettingsChanges } from '../cache/changes';
import { specOf } from './store';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const CalendarPatch = CalendarFields.partial().strict();
const StatusQuery = z.object({ at: z.string().datetime({ offset: true }).optional() });

function calendarView(c: CalendarDoc) {
  return {
    id: String(c._id),
    name: c.name,
    ...specOf(c),
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

function duplicateName(err: unknown): never {
  if (isDuplicateKey(err)) throw new Conflict('duplicate_name', 'A calendar with this name exists.');
  throw err;
}

export function calendarsRouter(
  models: Models,
  access: AgentAccess,
  changes: Pick<SettingsChanges, 'changed'>,
  audit: StaffAudit,
  now: () => Date = () => new Date(),
) {
  const r = express.Router();
  const target = (c: { _id: unknown }) => ({ kind: 'calendar', id: String(c._id) });
  const admin = requireRole(access, ['admin']);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const find = async (raw: string | undefined) => {
    const doc = await models.Calendar.findById(parse(id, raw)).lean<CalendarDoc>();
    if (!doc) throw new NotFound('Calendar');
    return doc;
  };

  r.get(
    '/calendars',
    staff,
    route(async (_req, res) => {
      const all = await models.Calendar.find().sort({ name: 1 }).lean<CalendarDoc[]>();
      res.json({ calendars: all.map(calendarView) });
    }),
  );
  r.post(
    '/calendars',
    admin,
    route(async (req, res) => {
      const body = parse(CalendarInput, req.body);
      const created = await models.Calendar.create(body).catch(duplicateName);
      await audit.byRequest(req, { action: 'calendar.created', target: target(created), details: body });
      res.status(201).json({ calendar: calendarView(created.toObject()) });
    }),
  );
  r.get(
    '/calendars/:id',
    staff,
    route(async (req, res) => {
      res.json({ calendar: calendarView(await find(req.params.id)) });
    }),
  );
  r.patch(
    '/calendars/:id',
    admin,
    route(async (req, res) => {
      const stored = await find(req.params.id);
      const patch = parse(CalendarPatch, req.body);
      // The whole calendar is checked again, so a patch cannot make a date both a holiday and a workday.
      const next = parse(CalendarInput, { name: stored.name, ...specOf(stored), ...patch });
      const updated = await models.Calendar.findOneAndUpdate(
        { _id: stored._id },
        { $set: next },
        { new: true },
      )
        .lean<CalendarDoc>()
        .catch(duplicateName);
      changes.changed('calendar', String(stored._id));
      if (!updated) throw new NotFound('Calendar');
      await audit.byRequest(req, { action: 'calendar.updated', target: target(updated), details: patch });
      res.json({ calendar: calendarView(updated) });
    }),
  );
  r.delete(
    '/calendars/:id',
    admin,
    route(async (req, res) => {
      const stored = await find(req.params.id);
      if (await models.Inbox.exists({ calendarId: stored._id })) throw new CalendarInUse();
      await models.Calendar.deleteOne({ _id: stored._id });
      changes.changed('calendar', String(stored._id));
      await audit.byRequest(req, {
        action: 'calendar.deleted',
        target: target(stored),
        details: { name: stored.name },
      });
      res.status(204).end();
    }),
  );
  r.get(
    '/calendars/:id/status',
    staff,
    route(async (req, res) => {
      const stored = await find(req.params.id);
      const { at } = parse(StatusQuery, req.query);
      // The stored calendar itself, not a cached copy: an admin checks what they just saved.
      const { open, nextOpeningAt } = describeCalendar(specOf(stored), at ? new Date(at) : now());
      res.json({ open, nextOpeningAt });
    }),
  );
  return r;
}
