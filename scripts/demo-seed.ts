/**
 * The demo's service set-up, safe to run at every start: the standard calendar on the demo
 * inbox with a business-hours policy for it, a first-line team (the agent) answering it and
 * a second-line team it escalates to, both led by the supervisor, and the first line's
 * shifts. Categories are seeded by the gateway.
 */
import { DEFAULT_CALENDAR_NAME } from '../server/calendar/store';
import type { App } from '../server/app';
import { seedDemoShifts } from './demo-shifts';

export interface DemoPeople {
  inboxKey: string;
  agentEmail: string;
  supervisorEmail: string;
}

export async function seedDemoService(app: App, people: DemoPeople): Promise<void> {
  const { models } = app;
  await app.calendars.seedDefault(app.config.defaultTimeZone);
  const calendar = await models.Calendar.findOne({ name: DEFAULT_CALENDAR_NAME }, { _id: 1 }).lean();
  const team = async (name: string, tier: 'first' | 'second', description: string) =>
    models.Team.findOneAndUpdate(
      { name },
      { $set: { tier }, $setOnInsert: { name, description } },
      { upsert: true, new: true },
    ).lean();
  const first = await team('Front desk', 'first', 'Answers the demo website first.');
  const second = await team('Specialists', 'second', 'Takes what the front desk escalates.');
  if (!first || !second) throw new Error('the demo teams were not saved');
  await models.Agent.updateOne({ email: people.agentEmail }, { $addToSet: { teamIds: first._id } });
  // The supervisor leads both teams: supervisors see (and are alerted about) their teams' conversations.
  await models.Agent.updateOne(
    { email: people.supervisorEmail },
    { $addToSet: { teamIds: { $each: [first._id, second._id] } } },
  );
  const agent = await models.Agent.findOne({ email: people.agentEmail }, { _id: 1 }).lean();
  if (agent) await seedDemoShifts(app, first._id, agent._id);
  const inbox = await models.Inbox.findOneAndUpdate(
    { key: people.inboxKey },
    { $set: { teamId: first._id, secondLineTeamId: second._id, calendarId: calendar?._id ?? null } },
    { new: true },
  ).lean();
  if (!inbox) throw new Error('the demo inbox was not saved');
  await models.PolicyRule.updateOne(
    { name: 'Demo website, business hours' },
    {
      $set: {
        order: 10,
        enabled: true,
        match: { inboxIds: [inbox._id], channels: [], priorities: [], categories: [], vip: null },
        targets: {
          pickup: { ms: 5 * 60_000, businessHours: true },
          resolution: { ms: 8 * 3_600_000, businessHours: true },
        },
      },
    },
    { upsert: true },
  );
}
