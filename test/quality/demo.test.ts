/** The demo's quality inspection: a rubric, the draw, and two scored conversations (one in error), once however often it starts. */
import { seedDemoQuality } from '../../scripts/demo-quality';
import { seedDemoStories } from '../../scripts/demo-stories';
import { createAgent, createInbox, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

it('gives the demo a rubric and scored conversations, once', async () => {
  await createInbox(gw, { key: 'demo-quality' });
  await createAgent(gw, { email: 'agent@quality.test', name: 'Dana' });
  await createAgent(gw, { email: 'lead@quality.test', role: 'supervisor' });
  await seedDemoStories(gw.app, 'demo-quality', 'agent@quality.test');
  await seedDemoQuality(gw.app, 'demo-quality', 'agent@quality.test', 'lead@quality.test');
  await seedDemoQuality(gw.app, 'demo-quality', 'agent@quality.test', 'lead@quality.test');

  expect(await gw.models.QualityRubric.countDocuments({})).toBe(1);
  const scores = await gw.models.QualityScore.find({}).sort({ errorCount: 1 }).lean();
  expect(scores.map((s) => [s.errorCount, s.rubricVersion])).toEqual([
    [0, 1],
    [1, 1],
  ]);
  expect(await gw.models.ConversationEvent.countDocuments({ type: 'quality.error' })).toBe(1);
});
