/**
 * Shift: who of a team is on duty when, as a calendar of its own: weekly hours in an IANA
 * zone, dates the shift does not run, and dated duty (holiday duty) entries.
 * Handover: the note a shift leaves for the next one, per occurrence of a shift.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import { WEEKDAYS, type Hours, type SpecialDay, type Weekday } from '../calendar/spec';

export interface ShiftDoc {
  _id: Types.ObjectId;
  teamId: Types.ObjectId;
  name: string;
  agentIds: Types.ObjectId[];
  timeZone: string;
  weekly: Partial<Record<Weekday, Hours[]>>;
  /** Dates the weekly hours do not run (public holidays). */
  offDays: SpecialDay[];
  /** Dated duty: these hours on these dates (holiday duty), whatever the weekday. */
  dutyDays: SpecialDay[];
  createdAt: Date;
  updatedAt: Date;
}

const hours = new Schema<Hours>({ open: String, close: String }, { _id: false });
const day = new Schema<SpecialDay>(
  { date: { type: String, required: true }, name: String, hours: { type: [hours], default: undefined } },
  { _id: false },
);

const shiftSchema = new Schema<ShiftDoc>(
  {
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', required: true },
    name: { type: String, required: true },
    agentIds: { type: [Schema.Types.ObjectId], ref: 'Agent', default: [] },
    timeZone: { type: String, required: true },
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: [hours], default: [] }])),
    offDays: { type: [day], default: [] },
    dutyDays: { type: [day], default: [] },
  },
  { timestamps: true, minimize: false },
);
// A team's rota (the console, the out-of-hours rule); the whole list is cached per process.
shiftSchema.index({ teamId: 1, name: 1 });

export interface HandoverDoc {
  _id: Types.ObjectId;
  shiftId: Types.ObjectId;
  teamId: Types.ObjectId;
  /** The occurrence of the shift this note closes: its start and end. */
  startsAt: Date;
  endsAt: Date;
  note: string;
  noteBy: Types.ObjectId | null;
  noteAt: Date | null;
  /** When the shift ended and passed its work on; null while it runs. */
  handedOverAt: Date | null;
  /** The team's open conversations and due follow-ups when the shift ended. */
  conversationIds: Types.ObjectId[];
  followUpIds: Types.ObjectId[];
}

const handoverSchema = new Schema<HandoverDoc>({
  shiftId: { type: Schema.Types.ObjectId, ref: 'Shift', required: true },
  teamId: { type: Schema.Types.ObjectId, ref: 'Team', required: true },
  startsAt: { type: Date, required: true },
  endsAt: { type: Date, required: true },
  note: { type: String, default: '' },
  noteBy: { type: Schema.Types.ObjectId, default: null },
  noteAt: { type: Date, default: null },
  handedOverAt: { type: Date, default: null },
  conversationIds: { type: [Schema.Types.ObjectId], default: [] },
  followUpIds: { type: [Schema.Types.ObjectId], default: [] },
});
// One handover per occurrence of a shift, whichever process writes the note or ends it.
handoverSchema.index({ shiftId: 1, startsAt: 1 }, { unique: true });
// The latest handover of a team, shown to the next shift on sign-in.
handoverSchema.index({ teamId: 1, endsAt: -1 });

export const registerShift = (db: Connection) => db.model<ShiftDoc>('Shift', shiftSchema);
export const registerHandover = (db: Connection) => db.model<HandoverDoc>('Handover', handoverSchema);
