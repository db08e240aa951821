/**
 * The satisfaction survey in real browsers: the agent resolves a web chat, the visitor
 * rates it in the widget's card, the console shows the rating, and a reload shows the
 * answer rather than asking again.
 */
import { createDesk, eventually, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser, page, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let visitorBrowser: Opened;
let agentBrowser: Opened;

beforeAll(async () => {
  await buildUi();
  // Writing again after the resolution starts a new conversation, whose profile lists the rated one.
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000', REOPEN_WINDOW_MS: '1' } });
  [visitorBrowser, agentBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([visitorBrowser?.close(), agentBrowser?.close()]);
  await gw?.close();
});

it('lets the visitor rate a resolved chat in the widget and shows the rating in the console', async () => {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ name: 'Rita Agent', password: 'correct horse battery' });
  const agentPage = new ConsolePage(await agentBrowser.context.newPage(), gw.url);
  await agentPage.login(agent.email, agent.password);
  const visitor = new VisitorPage(await page(visitorBrowser.context), gw.url, desk.inbox.key);
  await visitor.open();

  await visitor.write('My order arrived damaged.');
  await agentPage.tid('offer-accept').click();
  await agentPage.history('My order arrived damaged.').waitFor();
  await agentPage.reply('Sorry about that, a replacement is on its way.');
  await visitor.message('Sorry about that, a replacement is on its way.').waitFor();
  await agentPage.tid('resolve').click();
  await agentPage.tid('conversation-status').filter({ hasText: 'Resolved' }).waitFor();

  // The card appears in the chat, nothing picked yet and nothing to send.
  const card = visitor.tid('survey');
  await card.filter({ hasText: 'How did we do?' }).waitFor();
  const stars = card.locator('[data-testid="survey-star"]');
  expect(await stars.count()).toBe(5);
  expect(await visitor.tid('survey-send').isDisabled()).toBe(true);
  const four = card.getByRole('button', { name: '4 out of 5 stars' });
  await four.click();
  await card.locator('[data-testid="survey-star"][aria-pressed="true"][data-rating="4"]').waitFor();
  expect(await card.locator('[aria-pressed="true"]').count()).toBe(1);
  await visitor.tid('survey-comment').fill('Quick and friendly');
  await visitor.tid('survey-send').click();

  await card.filter({ hasText: 'Thanks for your feedback!' }).waitFor();
  await visitor.tid('survey-answer').and(visitor.page.locator('[data-rating="4"]')).waitFor();
  await visitor.tid('survey-answer-comment').filter({ hasText: 'Quick and friendly' }).waitFor();
  await screenshot(visitor.page, 'widget-csat');

  // The console's header and the contact's past conversations show "★ 4", the comment as tooltip.
  const badge = agentPage.tid('conversation').locator('.conv-header [data-testid="csat"]');
  await badge.filter({ hasText: '★ 4' }).waitFor();
  expect(await badge.getAttribute('title')).toBe('Quick and friendly');
  const survey = await eventually(
    () => gw.models.Survey.findOne({ inboxId: desk.inbox._id }).lean(),
    (s) => s?.rating === 4,
  );
  expect(survey?.comment).toBe('Quick and friendly');

  // After a reload the widget shows the answer, not a new question.
  await visitor.page.reload();
  await visitor.tid('launcher').click();
  await visitor.message('Sorry about that, a replacement is on its way.').waitFor();
  await visitor.page.locator('[data-testid="status"][data-state="resolved"]').waitFor({ state: 'attached' });
  await card.filter({ hasText: 'Thanks for your feedback!' }).waitFor();
  await visitor.tid('survey-answer').and(visitor.page.locator('[data-rating="4"]')).waitFor();
  expect(await visitor.tid('survey-star').count()).toBe(0);
  await visitor.tid('survey-change').waitFor();

  // The customer comes back: the new conversation's profile shows the earlier rating.
  await visitor.write('One more thing about my order.');
  await agentPage.tid('offer-accept').click();
  await agentPage.history('One more thing about my order.').waitFor();
  await agentPage.tid('past-conversations').locator('[data-testid="csat"]', { hasText: '★ 4' }).waitFor();
}, 60_000);
