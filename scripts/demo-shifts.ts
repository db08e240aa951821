/**
 * The demo's rota: the front desk keeps a day shift (the demo agent, on the standard
 * hours, so the desk is staffed whenever it is open) and an evening shift with nobody on
 * it yet, which the supervisor covered last evening: their handover, with the work still
 * open, waits for the demo agent's sign-in. Made once however often the demo starts.
 */
import type { Types } from 'mongoose';
import type { App } from '../server/app';
import { Handovers } from '../server/shifts/handover';
import type { ShiftDoc } from '../server/shifts/model';
import { ShiftRota, occurrence, shiftTime } from '../server/shifts/rota';

const WEEKDAYS = ['1', '2', '3', '4', '5'] as const;
const DAY_SHIFT = 'Day shift';
const EVENING_SHIFT = 'Evening shift';
const NOTE =
  '王芳 (order #1024) complained that her parcel is three days late and nobody answered the phone: ' +
  'the courier promised delivery today — call her back before noon and tell her where it is.';

const week = (open: string, close: string) => Object.fromEntries(WEEKDAYS.map((d) => [d, [{ open, close }]]));

/** The day and evening shifts of the demo's first-line team, kept as an admin may have changed them. */
export async function seedDemoShifts(
  app: App,
  teamId: Types.ObjectId,
  agentId: Types.ObjectId,
): Promise<void> {
  const shift = async (name: string, agentIds: Types.ObjectId[], open: string, close: string) => {
    if (await app.models.Shift.exists({ teamId, name })) return;
    await app.models.Shift.create({
      teamId,
      name,
      agentIds,
      timeZone: app.config.defaultTimeZone,
      weekly: week(open, close),
    });
  };
  await shift(DAY_SHIFT, [agentId], '09:00', '18:00');
  await shift(EVENING_SHIFT, [], '18:00', '22:00');
}

/** Last evening's handover to the day shift, if the team has none yet. */
export async function seedDemoHandover(app: App, inboxKey: string, supervisorEmail: string): Promise<void> {
  const { models } = app;
  const inbox = await models.Inbox.findOne({ key: inboxKey }, { teamId: 1 }).lean();
  if (!inbox?.teamId || (await models.Handover.exists({ teamId: inbox.teamId }))) return;
  const evening = await models.Shift.findOne({ teamId: inbox.teamId, name: EVENING_SHIFT }).lean<ShiftDoc>();
  const lead = await models.Agent.findOne({ email: supervisorEmail }, { _id: 1 }).lean();
  if (!evening) return;
  const now = new Date();
  const time = shiftTime(evening);
  // The evening's latest occurrence that has ended.
  let last: { startsAt: Date; endsAt: Date } | null = null;
  for (let at = time.nextOpening(new Date(now.getTime() - 8 * 86_400_000)); at && at < now;) {
    const occ = occurrence(time, at);
    if (!occ || occ.endsAt > now) break;
    last = occ;
    at = time.nextOpening(new Date(occ.endsAt.getTime() + 1));
  }
  if (!last) return;
  await models.Handover.create({
    shiftId: evening._id,
    teamId: inbox.teamId,
    ...last,
    note: NOTE,
    noteBy: lead?._id ?? null,
    noteAt: new Date(last.endsAt.getTime() - 15 * 60_000),
  });
  const handovers = new Handovers(models, new ShiftRota(models, () => now));
  await handovers.handOver(evening, last, last.endsAt);
}
