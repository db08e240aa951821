/**
 * The knowledge base in a real browser: while a visitor types their question, the widget
 * suggests help-centre articles in their language (English in the chat's composer,
 * Chinese in the leave-a-message form), and a suggestion opens the public article page.
 */
import {
  call,
  connectAgent,
  createAgent,
  createDesk,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { publishedArticle } from '../knowledge/helpers';
import { VisitorPage, buildUi, openBrowser, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  await buildUi();
  gw = await startGateway();
  browser = await openBrowser();
  const admin = await createAgent(gw, { role: 'admin' });
  await publishedArticle(gw, admin.token, {
    slug: 'refunds',
    en: {
      title: 'How to ask for a refund',
      body: 'Open **My orders**, choose the order and select Request refund.\n\nThe money reaches your card within 5 working days.',
    },
    zh: {
      title: '如何申请退款',
      body: '打开“我的订单”，选择订单后点击“申请退款”。\n\n款项将在五个工作日内退回原支付账户。',
    },
  });
  await publishedArticle(gw, admin.token, {
    slug: 'delivery-times',
    en: { title: 'When will my parcel arrive?', body: 'Parcels usually arrive in 2 to 4 days.' },
    zh: { title: '包裹多久能送到？', body: '包裹通常在两到四天内送达。' },
  });
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await gw?.close();
});

async function visitorPage(inboxKey: string, locale: string): Promise<VisitorPage> {
  const v = new VisitorPage(await browser.context.newPage(), gw.url, inboxKey);
  await v.page.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(inboxKey)}&locale=${locale}`);
  await v.tid('launcher').click();
  await v.tid('panel').waitFor({ state: 'visible' });
  return v;
}

describe('article suggestions in the widget', () => {
  it('suggests an English article while the visitor types in the chat, and opens it in a new tab', async () => {
    const desk = await createDesk(gw);
    const agent = await desk.agent({ capacity: 0 });
    const socket = await connectAgent(gw.url, agent.token);
    sockets.push(socket);
    await call(socket, 'presence:set', { presence: 'online' });

    const v = await visitorPage(desk.inbox.key, 'en');
    await v.tid('composer').pressSequentially('can I get a refund', { delay: 20 });
    const link = v.tid('suggestion');
    await link.first().waitFor();
    await expectText(v.tid('suggestions'), 'These articles may answer your question');
    expect(await link.allTextContents()).toEqual(['How to ask for a refund']);
    expect(await link.first().getAttribute('target')).toBe('_blank');
    await screenshot(v.page, 'knowledge-widget-suggestions-en');

    const [tab] = await Promise.all([browser.context.waitForEvent('page'), link.first().click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe('/help/en/articles/refunds');
    expect(await tab.title()).toBe('How to ask for a refund – Help Center');
    expect(await tab.locator('h1').textContent()).toBe('How to ask for a refund');
    expect(await tab.locator('html').getAttribute('lang')).toBe('en');
    await tab.close();

    // Sending the message puts the suggestions away.
    await v.tid('composer').press('Enter');
    await v.tid('suggestions').waitFor({ state: 'hidden' });
    await v.page.close();
  });

  it('suggests a Chinese article for a Chinese question typed before the first message', async () => {
    const desk = await createDesk(gw); // nobody online: the leave-a-message form
    const v = await visitorPage(desk.inbox.key, 'zh-CN');
    await v.tid('intro-message').pressSequentially('我上周买的东西想退款', { delay: 20 });
    const link = v.tid('suggestion');
    await link.first().waitFor();
    await expectText(v.tid('suggestions'), '这些文章也许能解答您的问题');
    expect(await link.allTextContents()).toEqual(['如何申请退款']);
    expect(new URL((await link.first().getAttribute('href'))!).pathname).toBe('/help/zh-CN/articles/refunds');
    await screenshot(v.page, 'knowledge-widget-suggestions-zh');

    // A question no article answers shows nothing.
    await v.tid('intro-message').fill('');
    await v.tid('intro-message').pressSequentially('发票抬头写错了', { delay: 20 });
    await v.tid('suggestions').waitFor({ state: 'hidden' });
    await v.page.close();
  });
});

async function expectText(locator: ReturnType<VisitorPage['tid']>, text: string): Promise<void> {
  await locator.getByText(text).waitFor();
}
