/**
 * The knowledge base from the console, in real browsers: a supervisor writes an article
 * in English and Chinese (a save the server refuses shows its reason beside the field),
 * publishes both and the help centre serves them; an agent answering a customer who
 * chats in Chinese starts a reply from a canned response, finds the article from the
 * composer, inserts its Chinese address after it and sends it, and the customer receives the link.
 */
import { api, createAgent, createDesk, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser, page, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let staffBrowser: Opened;
let visitorBrowser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  [staffBrowser, visitorBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([staffBrowser?.close(), visitorBrowser?.close()]);
  await gw?.close();
});

const EN = { title: 'How to track your DHL parcel', body: 'Open **My orders** and choose Track.' };
const ZH = { title: '如何查询 DHL 包裹', body: '打开“我的订单”，点击“查询物流”。' };

describe('the knowledge base in the console', () => {
  it('lets a supervisor write and publish an article, and an agent send its link from the composer', async () => {
    const supervisor = await createAgent(gw, { role: 'supervisor' });
    const desk = await createDesk(gw);
    const agent = await desk.agent({ name: 'Ana Agent' });
    const admin = await createAgent(gw, { role: 'admin' });
    const greeting = { title: 'Greeting', shortcut: 'look', text: '您好，请看：', teamId: null };
    expect((await api(gw.url, admin.token, 'POST', '/canned-responses', greeting)).status).toBe(201);

    // The supervisor writes the article; saving English with a text but no title is refused beside the title.
    const sup = new ConsolePage(await page(staffBrowser.context), gw.url);
    await sup.login(supervisor.email, supervisor.password);
    await sup.tid('tab-knowledge').click();
    await sup.tid('kb-new').click();
    const form = sup.tid('kb-form');
    const field = (name: string) => form.locator(`[data-testid="field-${name}"]`);
    await field('slug').fill('track-parcel');
    await field('translations.en.body').fill(EN.body);
    await form.locator('[data-testid="form-submit"]').click();
    await form
      .locator('[data-testid="error-translations.en.title"]')
      .filter({ hasText: 'must not be empty' })
      .waitFor();
    expect(await field('translations.en.title').getAttribute('aria-invalid')).toBe('true');
    expect(await sup.tid('tab-knowledge').textContent()).toBe('Knowledge');

    await field('translations.en.title').fill(EN.title);
    await field('translations.zh-CN.title').fill(ZH.title);
    await field('translations.zh-CN.body').fill(ZH.body);
    await form.locator('[data-testid="form-submit"]').click();
    await sup.tid('kb-notice').filter({ hasText: 'Draft saved.' }).waitFor();
    const row = sup.page.locator('[data-testid="kb-article"][data-slug="track-parcel"]');
    await row.locator('[data-testid="kb-state-en"][data-state="draft"]').waitFor();
    expect(await form.locator('[data-testid="error-translations.en.title"]').textContent()).toBe('');

    await sup.tid('kb-publish-en').click();
    await row.locator('[data-testid="kb-state-en"][data-state="published"]').waitFor();
    await sup.tid('kb-publish-zh-CN').click();
    await row.locator('[data-testid="kb-state-zh-CN"][data-state="published"]').waitFor();
    await sup.tid('kb-unpublish-zh-CN').waitFor();
    await sup.tid('kb-report').waitFor();
    await screenshot(sup.page, 'knowledge-console');

    // The help centre serves both translations.
    const en = await fetch(`${gw.url}/help/en/articles/track-parcel`);
    expect(en.status).toBe(200);
    expect(await en.text()).toContain(EN.title);
    const zh = await fetch(`${gw.url}/help/zh-CN/articles/track-parcel`);
    expect(zh.status).toBe(200);
    expect(await zh.text()).toContain(ZH.title);

    // An agent reads the list without the editor's buttons.
    await sup.tid('sign-out').click();
    const ag = new ConsolePage(sup.page, gw.url);
    await ag.login(agent.email, agent.password);
    await ag.tid('tab-knowledge').click();
    await ag.page.locator('[data-testid="kb-article"][data-slug="track-parcel"]').waitFor();
    expect(await ag.tid('kb-new').count()).toBe(0);
    expect(await ag.tid('kb-edit').count()).toBe(0);
    await ag.tid('kb-search').fill('DHL');
    await ag.tid('kb-search-go').click();
    await ag.page.locator('[data-testid="kb-hit"][data-slug="track-parcel"]').waitFor();

    // A customer chats in Chinese; the agent finds the article in both languages and inserts the Chinese address.
    const visitor = new VisitorPage(await page(visitorBrowser.context), gw.url, desk.inbox.key);
    await visitor.page.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(desk.inbox.key)}&locale=zh-CN`);
    await visitor.tid('launcher').click();
    await visitor.tid('panel').waitFor({ state: 'visible' });
    await visitor.write('我的包裹到哪里了？');
    await ag.tid('tab-work').click();
    await ag.tid('offer-accept').click();
    await ag.history('我的包裹到哪里了？').waitFor();
    // The reply starts from a canned response ("/" picker), then the article picker adds the link after it.
    await ag.tid('reply-text').fill('/look');
    await ag.page.locator('[data-testid="canned-option"][data-shortcut="look"]').waitFor();
    await ag.tid('reply-text').press('Enter');
    expect(await ag.tid('reply-text').inputValue()).toBe(greeting.text);
    await ag.tid('kb-pick').click();
    await ag.tid('kb-picker-search').fill('DHL');
    const option = ag.tid('kb-picker-option');
    await option.first().waitFor();
    expect(await option.count()).toBe(1);
    expect(await option.first().getAttribute('data-locale')).toBe('zh-CN');
    await ag.tid('kb-picker-search').press('Enter');
    const url = `${gw.url}/help/zh-CN/articles/track-parcel`;
    expect(await ag.tid('reply-text').inputValue()).toBe(`您好，请看： ${ZH.title} ${url}`);
    expect(await ag.tid('kb-picker').isHidden()).toBe(true);
    await screenshot(ag.page, 'knowledge-composer-link');
    await ag.tid('reply-send').click();

    await visitor.tid('log').locator('[data-testid="message"]', { hasText: url }).waitFor();
  });
});
