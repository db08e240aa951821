/** The demo's service set-up gives its inbox hours, a business-hours policy and two tiers, once however often it starts. */
import { seedDemoService } from '../../scripts/demo-seed';
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
  expect((await gw.models.Agent.findById(lead.id).lean())?.teamIds.map(String)).toEqual([
    String(teams[1]?._id),
  ]);
  const rules = await gw.models.PolicyRule.find().lean();
  expect(rules).toHaveLength(1);
  expect(rules[0]?.targets.pickup).toMatchObject({ businessHours: true });
  expect(rules[0]?.match.inboxIds.map(String)).toEqual([String(inbox._id)]);
});
