/** Calendar: a service's weekly opening hours in an IANA zone, its holidays and make-up workdays. */
import { Schema, type Connection, type Types } from 'mongoose';
import { WEEKDAYS, type CalendarSpec, type Hours, type SpecialDay } from './spec';

export interface CalendarDoc extends CalendarSpec {
  _id: Types.ObjectId;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const hours = new Schema<Hours>(
  { open: { type: String, required: true }, close: { type: String, required: true } },
  { _id: false },
);
const specialDay = new Schema<SpecialDay>(
  {
    date: { type: String, required: true },
    name: { type: String },
    // Absent hours mean "closed" on a holiday and "Monday's hours" on a make-up workday.
    hours: { type: [hours], default: undefined },
  },
  { _id: false },
);

const schema = new Schema<CalendarDoc>(
  {
    name: { type: String, required: true },
    timeZone: { type: String, required: true },
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: [hours], default: [] }])),
    holidays: { type: [specialDay], default: [] },
    extraWorkdays: { type: [specialDay], default: [] },
  },
  { timestamps: true, minimize: false },
);
// The admin list is sorted by name; the unique name lets two starting processes seed one default.
schema.index({ name: 1 }, { unique: true });

export const registerCalendar = (db: Connection) => db.model<CalendarDoc>('Calendar', schema);
