/**
 * A customer on a web page and an agent in the console hold a conversation end to end,
 * in real browsers: offer, accept, replies both ways, history across reloads, markup
 * arriving inert, and a dropped network costing no message and doubling none.
 */
import { createDesk, eventually, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser, page, screenshot } from './browser';

const SENT = '[data-status="sent"], [data-status="delivered"], [data-status="read"]';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let visitorBrowser: Opened;
let agentBrowser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { SLA_REPLY_TARGET_MS: '60000', OFFER_TIMEOUT_MS: '60000' } });
  [visitorBrowser, agentBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([visitorBrowser?.close(), agentBrowser?.close()]);
  await gw?.close();
});

async function setup() {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Ana Agent', password: 'correct horse battery' });
  const agentPage = new ConsolePage(await agentBrowser.context.newPage(), gw.url);
  await agentPage.login(agent.email, agent.password);
  const visitor = new VisitorPage(await page(visitorBrowser.context), gw.url, desk.inbox.key);
  await visitor.open();
  return { desk, agent, agentPage, visitor };
}

describe('web chat between a visitor and an agent in real browsers', () => {
  it('offers the visitor’s message to the agent, delivers the reply, and keeps history across a reload', async () => {
    const { agentPage, visitor } = await setup();
    await visitor.tid('welcome').waitFor();

    await visitor.write('Hi, where is my tent?');
    await visitor.message('Hi, where is my tent?').and(visitor.page.locator(SENT)).waitFor();

    await visitor.tid('status').filter({ hasText: "You're next in line." }).waitFor();
    await visitor
      .tid('status')
      .filter({ hasText: /An agent will answer within [1-5] min/ })
      .waitFor();
    await agentPage.tid('offer').waitFor();
    await agentPage.tid('offer-accept').click();
    await agentPage.history('Hi, where is my tent?').waitFor();
    await visitor.tid('status').filter({ hasText: 'You are chatting with Ana Agent.' }).waitFor();
    await agentPage.tid('reply-text').pressSequentially('It ships');
    await visitor.tid('typing').filter({ hasText: 'Ana Agent is typing…' }).waitFor();
    await agentPage.reply('It ships today, tracking number to follow.');
    await visitor.tid('typing').filter({ hasText: /^$/ }).waitFor();

    await visitor.message('It ships today, tracking number to follow.').waitFor();
    await agentPage.history('It ships today, tracking number to follow.').waitFor();
    await visitor.tid('composer').pressSequentially('Thanks');
    await agentPage.tid('contact-typing').filter({ hasText: 'is typing' }).waitFor();
    await visitor.tid('composer').fill('');
    await screenshot(visitor.page, 'widget', true);
    await screenshot(agentPage.page, 'console-conversation', true);

    await visitor.page.reload();
    await visitor.tid('launcher').click();
    await visitor.message('Hi, where is my tent?').waitFor();
    await visitor.message('It ships today, tracking number to follow.').waitFor();
    expect(await visitor.messages().count()).toBe(2);
  });

  it('shows markup typed by either side as literal text and never runs it', async () => {
    const { agentPage, visitor } = await setup();
    const img = '<img src=x onerror=window.__xss=1>';
    const script = '<script>window.__xss=1</script>';
    await visitor.write(img);
    await visitor.write(script);
    await visitor.message(script).and(visitor.page.locator(SENT)).waitFor();

    await agentPage.tid('offer-accept').click();
    await agentPage.history(img).waitFor();
    await agentPage.history(script).waitFor();
    await agentPage.reply(`${script} ${img}`);
    await visitor.message(`${script} ${img}`).waitFor();

    for (const p of [visitor.page, agentPage.page]) {
      expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await p.locator('img[src="x"]').count()).toBe(0);
    }
    expect(await visitor.message(img).count()).toBe(1);
    await agentPage.page.close();
  });

  it('keeps every message through a dropped network: none lost, none doubled', async () => {
    const { desk, agentPage, visitor } = await setup();
    await visitor.write('first, while online');
    await visitor.message('first, while online').and(visitor.page.locator(SENT)).waitFor();
    await agentPage.tid('offer-accept').click();
    await agentPage.history('first, while online').waitFor();

    await visitorBrowser.context.setOffline(true);
    await visitor.tid('status').filter({ hasText: 'Reconnecting' }).waitFor();
    await visitor.write('second, offline');
    await visitor.write('third, offline');
    await visitor.message('third, offline').and(visitor.page.locator('[data-status="sending"]')).waitFor();
    await agentPage.reply('an answer while the customer is away');

    await visitorBrowser.context.setOffline(false);
    await visitor.message('third, offline').and(visitor.page.locator(SENT)).waitFor();
    await visitor.message('an answer while the customer is away').waitFor();
    await agentPage.history('third, offline').waitFor();

    const conv = await gw.models.Conversation.findOne({ inboxId: desk.inbox._id }).lean();
    const stored = await eventually(
      () => gw.models.Message.find({ conversationId: conv?._id, direction: 'in' }).sort({ _id: 1 }).lean(),
      (ms) => ms.length >= 3,
    );
    expect(stored.map((m) => m.text)).toEqual(['first, while online', 'second, offline', 'third, offline']);
    expect(await visitor.messages('in').count()).toBe(3);
    expect(await visitor.page.locator('[data-testid="message"][data-status="sending"]').count()).toBe(0);
    await agentPage.page.close();
  });
});
