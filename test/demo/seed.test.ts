/** The demo: its service set-up (hours, a business-hours policy, two tiers) and its first conversations, once however often it starts. */
import { seedDemoService } from '../../scripts/demo-seed';
import { seedDemoStories } from '../../scripts/demo-stories';
import { createAgent, createInbox, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

it('puts the demo inbox on the standard hours with a first and second line, idempotently', async () => {
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
