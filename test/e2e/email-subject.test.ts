/** An email conversation shows its subject to the agent, in the queue and when opened. */
import { createDesk, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, buildUi, openBrowser } from './browser';

let gw: TestGateway;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway();
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

it('shows the subject of an email in the list and in the open conversation', async () => {
  const desk = await createDesk(gw, { channel: 'email' });
  const a = await desk.agent({ name: 'Mia Mail' });
  await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: { channel: 'email', address: 'jo@customer.example' },
    profile: { name: 'Jo Customer', email: 'jo@customer.example' },
    dedupeKey: '<subject-1@customer.example>',
    text: 'The parcel never came.',
    subject: 'Order 7781 not delivered',
    threadKey: '<subject-1@customer.example>',
  });
  const agent = new ConsolePage(await browser.context.newPage(), gw.url);
  await agent.login(a.email, a.password);
  // Signing in makes the agent online: the waiting email is offered to them (listed under Incoming only).
  const item = agent.tid('offer').filter({ hasText: 'Jo Customer' });
  await item
    .locator('[data-testid="conversation-subject"]')
    .filter({ hasText: 'Order 7781 not delivered' })
    .waitFor();
  await item.locator('[data-testid="offer-accept"]').click();
  await agent.tid('mine-item').filter({ hasText: 'Jo Customer' }).locator('button.link').click();
  await agent.tid('open-subject').filter({ hasText: 'Order 7781 not delivered' }).waitFor();
});
