/**
 * Quality inspection in the console: a supervisor draws the week's sample, opens a
 * conversation's transcript beside the rubric and scores it with comments; the agent who
 * handled it sees the score and the comments on their Quality tab, another agent does not.
 */
import { api, createAgent, createDesk, eventually, startGateway, type TestGateway } from '../harness/gateway';
import { STANDARD_RUBRIC, resolvedConversation } from '../quality/seed';
import { ConsolePage, buildUi, openBrowser, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { QUALITY_SAMPLE_SHARE: '1' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('quality inspection in the console', () => {
  it('a supervisor scores a sampled conversation and the agent sees the score', async () => {
    const desk = await createDesk(gw);
    const admin = await createAgent(gw, { role: 'admin' });
    const sup = await desk.agent({ role: 'supervisor', name: 'Sam Supervisor' });
    const ana = await desk.agent({ name: 'Ana Agent' });
    const ben = await desk.agent({ name: 'Ben Agent' });
    expect((await api(gw.url, admin.token, 'PUT', '/quality/rubric', STANDARD_RUBRIC)).status).toBe(201);
    const conv = await resolvedConversation(gw.models, {
      inboxId: desk.inbox._id,
      agentId: ana.id,
      teamId: desk.team._id,
      resolvedAt: new Date(Date.now() - 3600_000),
      name: 'Dora Customer',
      clocks: [{ met: true }],
      messages: [
        { direction: 'in', text: 'My parcel is two days late.' },
        { direction: 'out', text: 'It left the depot this morning.' },
      ],
    });

    const samPage = new ConsolePage(await browser.context.newPage(), gw.url);
    await samPage.login(sup.email, sup.password);
    await samPage.tid('tab-quality').click();
    await samPage.tid('quality-draw').click();
    await samPage.tid('quality-draw-status').filter({ hasText: 'Conversations drawn: 1.' }).waitFor();
    const item = samPage.tid('quality-sample').filter({ hasText: 'Dora Customer' });
    await item.locator('[data-testid="quality-inspect"]').click();
    await samPage.tid('quality-message').filter({ hasText: 'My parcel is two days late.' }).waitFor();
    // Timeliness comes from the clocks: the one measured clock met its target.
    await expect(samPage.tid('score-timeliness').inputValue()).resolves.toBe('4');
    await samPage.tid('score-greeting').selectOption('1');
    await samPage.tid('score-accuracy').fill('2');
    await samPage.tid('comment-accuracy').fill('Give the tracking link, not the depot.');
    await samPage.tid('score-forbidden_phrases').selectOption('1');
    await samPage.tid('quality-comment').fill('Friendly, but check the facts first.');
    await screenshot(samPage.page, 'quality-inspection', true);
    await samPage.tid('quality-save').click();
    await samPage.tid('quality-status').filter({ hasText: 'Score saved.' }).waitFor();

    const stored = await eventually(
      () => gw.models.QualityScore.findOne({ conversationId: conv.id, current: true }).lean(),
      (s) => s !== null,
    );
    expect(stored).toMatchObject({ errorCount: 1, revision: 1 });
    expect(
      await gw.models.ConversationEvent.countDocuments({ conversationId: conv.id, type: 'quality.error' }),
    ).toBe(1);

    const anaPage = new ConsolePage(await browser.context.newPage(), gw.url);
    await anaPage.login(ana.email, ana.password);
    await anaPage.tid('tab-quality').click();
    const mine = anaPage.tid('quality-score').filter({ hasText: 'Dora Customer' });
    await mine.waitFor();
    await mine
      .locator('[data-testid="quality-criterion"][data-key="accuracy"]')
      .filter({ hasText: 'Give the tracking link, not the depot.' })
      .waitFor();
    await mine
      .locator('[data-testid="quality-overall"]')
      .filter({ hasText: 'Friendly, but check the facts first.' })
      .waitFor();
    await mine.locator('[data-testid="quality-badge"]').filter({ hasText: '1 errors' }).waitFor();
    await screenshot(anaPage.page, 'quality-my-scores', true);

    const benPage = new ConsolePage(await browser.context.newPage(), gw.url);
    await benPage.login(ben.email, ben.password);
    await benPage.tid('tab-quality').click();
    await benPage.page.getByText('No scored conversations yet.').waitFor();
    expect(await benPage.tid('quality-score').count()).toBe(0);

    for (const p of [samPage, anaPage, benPage]) await p.page.close();
  });
});
