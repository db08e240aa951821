/** Boundary schemas of shifts and handover notes. */
import { z } from 'zod';
import { CalendarFields } from '../calendar/spec';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const days = CalendarFields.shape.holidays;

export const ShiftCreate = z
  .object({
    teamId: objectId,
    name: z.string().trim().min(1).max(100),
    agentIds: z.array(objectId).max(200).default([]),
    timeZone: CalendarFields.shape.timeZone,
    weekly: CalendarFields.shape.weekly,
    offDays: days,
    dutyDays: days.refine(
      (list) => list.every((d) => (d.hours?.length ?? 0) > 0),
      'give the hours of every duty date',
    ),
  })
  .strict();
export type ShiftCreate = z.output<typeof ShiftCreate>;

export const ShiftUpdate = ShiftCreate.omit({ teamId: true }).partial().strict();

export const HandoverNote = z.object({ note: z.string().trim().max(5000) }).strict();
