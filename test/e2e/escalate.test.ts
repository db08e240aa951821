/** An agent escalates a conversation to the second line from the console. */
import { createDesk, eventually, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, buildUi, openBrowser } from './browser';

let gw: TestGateway;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '600000' } });
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

it('moves the conversation to the inbox\u2019s second-line team when the agent presses Escalate', async () => {
  const desk = await createDesk(gw);
  const second = await gw.models.Team.create({ name: `specialists-${Date.now()}`, tier: 'second' });
  await gw.models.Inbox.updateOne({ _id: desk.inbox._id }, { $set: { secondLineTeamId: second._id } });
  const a = await desk.agent({ name: 'Eli Frontline' });
  const { conversationId } = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: { channel: 'webchat', address: `visitor-${Date.now()}` },
    profile: { name: 'Pat Customer' },
    dedupeKey: `esc-${Date.now()}`,
    text: 'The router keeps dropping the line.',
  });
  const agent = new ConsolePage(await browser.context.newPage(), gw.url);
  await agent.login(a.email, a.password);
  // Signing in makes the agent online: the waiting chat is offered to them (listed under Incoming only).
  const item = agent.tid('offer').filter({ hasText: 'Pat Customer' });
  await item.locator('[data-testid="offer-accept"]').click();
  await agent.tid('mine-item').filter({ hasText: 'Pat Customer' }).locator('button.link').click();
  await agent.tid('escalate').click();
  // It leaves the agent's hands for the second line's queue.
  await agent.tid('mine-item').filter({ hasText: 'Pat Customer' }).waitFor({ state: 'detached' });
  const conv = await eventually(
    () => gw.models.Conversation.findById(conversationId).lean(),
    (c) => String(c?.teamId) === String(second._id),
  );
  expect(conv?.status).toBe('queued');
  expect(
    await gw.models.ConversationEvent.countDocuments({ conversationId, type: 'conversation.escalated' }),
  ).toBe(1);
});
