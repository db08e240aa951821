/**
 * The console's live service-level picture in a real browser, with short targets: the
 * reply countdown moving from calm to urgent to breached (with desktop notifications to
 * the agent), the breach reaching the supervisor, and the supervisor watching an agent's load change.
 */
import { createDesk, startGateway, type TestGateway } from '../harness/gateway';
import {
  ConsolePage,
  VisitorPage,
  buildUi,
  notifications,
  openBrowser,
  recordNotifications,
  screenshot,
} from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let visitorBrowser: Opened;
let staffBrowser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({
    env: { SLA_REPLY_TARGET_MS: '8000', SLA_WARN_RATIO: '0.75', OFFER_TIMEOUT_MS: '60000' },
  });
  [visitorBrowser, staffBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([visitorBrowser?.close(), staffBrowser?.close()]);
  await gw?.close();
});

async function setup() {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Ana Agent', capacity: 3 });
  // The supervisor watches and takes no chats, so every offer goes to the agent.
  const boss = await desk.agent({ name: 'Sam Supervisor', role: 'supervisor', capacity: 0 });
  const agentPage = new ConsolePage(await staffBrowser.context.newPage(), gw.url);
  await recordNotifications(agentPage.page);
  await agentPage.login(agent.email, agent.password);
  const supervisorPage = new ConsolePage(await staffBrowser.context.newPage(), gw.url);
  await supervisorPage.login(boss.email, boss.password);
  await supervisorPage.tid('tab-supervisor').click();
  const visitor = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, desk.inbox.key);
  await visitor.open();
  return { agent, agentPage, supervisorPage, visitor };
}

describe('service levels in the console', () => {
  // Two browser sign-ins and an 8-second clock running out: a loaded machine needs more than the default.
  it('counts down the 20-second reply promise from calm to urgent to breached, and tells the supervisor', async () => {
    const { agentPage, supervisorPage, visitor } = await setup();
    await visitor.write('Is the stove in stock?');
    await agentPage.tid('offer-accept').click();
    await agentPage.reply('Let me check.');
    await agentPage.page.locator('[data-testid="open-reply-countdown"].idle').waitFor();

    await visitor.write('Hello? I need it by Friday.');
    await agentPage.history('Hello? I need it by Friday.').waitFor();
    const open = (state: string) => agentPage.page.locator(`[data-testid="open-reply-countdown"].${state}`);
    const listed = (state: string) =>
      agentPage.tid('mine-item').locator(`[data-testid="reply-countdown"].${state}`);
    await open('calm').waitFor();
    await listed('calm').waitFor();
    await open('urgent').waitFor();
    await open('breached').waitFor();
    await listed('breached').waitFor();
    expect(await open('breached').textContent()).toMatch(/^\+\d+:\d\d$/);
    // In the background, the agent was told of the offer, then of the nearing and the missed deadline.
    await agentPage.page.waitForFunction(
      () => (window as unknown as { __notifications: unknown[] }).__notifications.length >= 3,
    );
    const told = (await notifications(agentPage.page)).map((n) => n.body.replace(/Visitor \d+/, 'Visitor N'));
    expect(told).toEqual([
      'New conversation from Visitor N',
      'Reply due soon: Visitor N',
      'Reply overdue: Visitor N',
    ]);

    await supervisorPage.page
      .locator('[data-testid="alert"][data-kind="breach"][data-clock="reply"]')
      .waitFor();
    await screenshot(agentPage.page, 'console-breach');
    await screenshot(supervisorPage.page, 'supervisor', true);

    await agentPage.reply('Yes, it ships tomorrow.');
    await agentPage.page.locator('[data-testid="open-reply-countdown"].idle').waitFor();
    await supervisorPage.page
      .locator('[data-testid="attainment-reply"]')
      .filter({ hasText: /of [1-9]/ })
      .waitFor();
    await screenshot(supervisorPage.page, 'supervisor-after-reply');
    await Promise.all([agentPage.page.close(), supervisorPage.page.close(), visitor.page.close()]);
  }, 60_000);

  it("shows the supervisor an agent's load rise with a new conversation and fall when it is resolved", async () => {
    const { agent, agentPage, supervisorPage, visitor } = await setup();
    const row = supervisorPage.page.locator(`[data-testid="agent-row"][data-agent-id="${agent.id}"]`);
    await row.locator('[data-testid="agent-presence"]', { hasText: 'Online' }).waitFor();
    await row.locator('[data-testid="agent-load"]', { hasText: '0/3' }).waitFor();

    await visitor.write('Can I change my delivery address?');
    await agentPage.tid('offer-accept').click();
    await row.locator('[data-testid="agent-load"]', { hasText: '1/3' }).waitFor();

    await agentPage.tid('resolve').click();
    await agentPage.page.locator('[data-testid="conversation-status"]', { hasText: 'Resolved' }).waitFor();
    await row.locator('[data-testid="agent-load"]', { hasText: '0/3' }).waitFor();
    await visitor.tid('status').filter({ hasText: 'resolved' }).waitFor();
    await Promise.all([agentPage.page.close(), supervisorPage.page.close(), visitor.page.close()]);
  });
});
