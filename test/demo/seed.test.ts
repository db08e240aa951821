/** The demo: its service set-up (hours, a business-hours policy, two tiers, shifts), its first conversations and handover, once however often it starts. */
import type { ShiftsMineView } from '../../shared/protocol';
import { seedDemoService } from '../../scripts/demo-seed';
import { seedDemoHandover } from '../../scripts/demo-shifts';
import { seedDemoStories } from '../../scripts/demo-stories';
import { api, createAgent, createInbox, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

it('puts the demo inbox on the standard hours with a first and second line and their shifts, idempotently', async () => {
  const inbox = await createInbox(gw, { key: 'demo' });
  const agent = await createAgent(gw, { email: 'agent@demo.test' });
  const lead = await createAgent(gw, { email: 'lead@demo.test', role: 'supervisor' });
  const people = { inboxKey: 'demo', agentEmail: 'agent@demo.test', supervisorEmail: 'lead@demo.test' };
  await seedDemoService(gw.app, people);
  await seedDemoService(gw.app, people);

  const teams = await gw.models.Team.find().sort({ name: 1 }).lean();
  expect(teams.map((t) => [t.name, t.tier])).toEqual([
    ['Front desk', 'first'],
    ['Specialists', 'second'],
  ]);
  const saved = await gw.models.Inbox.findById(inbox._id).lean();
  const calendar = await gw.models.Calendar.findById(saved?.calendarId).lean();
  expect(calendar?.name).toBe('Standard hours');
  expect(String(saved?.teamId)).toBe(String(teams[0]?._id));
  expect(String(saved?.secondLineTeamId)).toBe(String(teams[1]?._id));
  expect((await gw.models.Agent.findById(agent.id).lean())?.teamIds.map(String)).toEqual([
    String(teams[0]?._id),
  ]);
  // The supervisor leads both lines (supervisors see their teams' conversations).
  expect((await gw.models.Agent.findById(lead.id).lean())?.teamIds.map(String)).toEqual([
    String(teams[0]?._id),
    String(teams[1]?._id),
  ]);
  const rules = await gw.models.PolicyRule.find().lean();
  expect(rules).toHaveLength(1);
  expect(rules[0]?.targets.pickup).toMatchObject({ businessHours: true });
  expect(rules[0]?.match.inboxIds.map(String)).toEqual([String(inbox._id)]);
  // The first line keeps a day shift on the standard hours (the demo agent) and an evening shift.
  const shifts = await gw.models.Shift.find({ teamId: teams[0]?._id }).sort({ name: 1 }).lean();
  expect(shifts.map((s) => [s.name, s.agentIds.map(String)])).toEqual([
    ['Day shift', [agent.id]],
    ['Evening shift', []],
  ]);
  expect(shifts[0]?.weekly['1']).toEqual([{ open: '09:00', close: '18:00' }]);
  expect(shifts[0]?.weekly['6']).toEqual([]);
  expect(shifts[1]?.weekly['5']).toEqual([{ open: '18:00', close: '22:00' }]);
});

it('opens the demo with a running complaint, a rated conversation and a due follow-up, once', async () => {
  const inbox = await createInbox(gw, { key: 'demo-stories' });
  await createAgent(gw, { email: 'stories@demo.test', name: 'Dana' });
  await seedDemoStories(gw.app, 'demo-stories', 'stories@demo.test');
  await seedDemoStories(gw.app, 'demo-stories', 'stories@demo.test');

  const convs = await gw.models.Conversation.find({ inboxId: inbox._id }).sort({ number: 1 }).lean();
  expect(convs).toHaveLength(2);
  const [complaint, rated] = convs;
  expect(complaint?.category).toBe('complaint');
  expect(complaint?.clocks?.complaint_acknowledgement?.targetMs).toBe(3600_000);
  expect(complaint?.clocks?.complaint_solution?.targetMs).toBe(48 * 3600_000);
  expect(rated?.status).toBe('resolved');
  expect(rated?.csat).toMatchObject({ rating: 5 });
  const task = await gw.models.FollowUpTask.findOne({ contactId: rated?.contactId }).lean();
  expect(task).toMatchObject({ reason: 'new_customer', status: 'open' });
  expect(task!.dueAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
});

it("leaves last evening's handover, with the complaint still open, for the day shift to read at sign-in, once", async () => {
  await createInbox(gw, { key: 'demo-handover' });
  const agent = await createAgent(gw, { email: 'day@demo.test', name: 'Dana' });
  await createAgent(gw, { email: 'evening@demo.test', name: 'Lee', role: 'supervisor' });
  const people = {
    inboxKey: 'demo-handover',
    agentEmail: 'day@demo.test',
    supervisorEmail: 'evening@demo.test',
  };
  await seedDemoService(gw.app, people);
  await seedDemoStories(gw.app, 'demo-handover', 'day@demo.test');
  await seedDemoHandover(gw.app, 'demo-handover', 'evening@demo.test');
  await seedDemoHandover(gw.app, 'demo-handover', 'evening@demo.test');

  expect(await gw.models.Handover.countDocuments({})).toBe(1);
  const complaint = await gw.models.Conversation.findOne({
    category: 'complaint',
    status: { $ne: 'resolved' },
  })
    .sort({ _id: -1 })
    .lean();
  const mine = await api<ShiftsMineView>(gw.url, agent.token, 'GET', '/shifts/mine');
  expect(mine.status).toBe(200);
  expect(mine.body.handover).toMatchObject({ shiftName: 'Evening shift', noteBy: 'Lee' });
  expect(mine.body.handover?.note).toContain('#1024');
  expect(mine.body.handover?.conversations.map((c) => c.id)).toContain(String(complaint?._id));
  expect(Date.parse(mine.body.handover!.endsAt)).toBeLessThanOrEqual(Date.now());
});
