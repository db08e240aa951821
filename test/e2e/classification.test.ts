/**
 * Classification in real browsers: the visitor's pre-chat topic (in Chinese) sets the
 * conversation's category, and an agent changes the category and adds and removes a
 * label from the console, each change reaching the timeline.
 */
import type { MessageView, OfferView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const eventTypes = async (conversationId: string) =>
  (await gw.models.ConversationEvent.find({ conversationId }).lean()).map((e) => e.type);

describe('classification in the browser', () => {
  it('files the conversation under the topic the visitor picked in the pre-chat form', async () => {
    const desk = await createDesk(gw, {
      settings: { preChat: { enabled: true, categories: ['consultation', 'returns'] } },
    });
    const agent = await desk.agent({ name: 'Ana' });
    const socket = await connectAgent(gw.url, agent.token);
    await call(socket, 'presence:set', { presence: 'online' });

    const v = new VisitorPage(await browser.context.newPage(), gw.url, desk.inbox.key);
    await v.page.goto(`${gw.url}/demo/?inbox=${desk.inbox.key}&locale=zh-CN`);
    await v.tid('launcher').click();
    await v.tid('prechat-form').filter({ hasText: '咨询类型' }).waitFor();
    expect(await v.tid('intro-category').locator('option').allTextContents()).toEqual([
      '请选择问题类型（选填）',
      '咨询',
      '退换货',
    ]);
    await v.tid('intro-name').fill('王芳');
    await v.tid('intro-category').selectOption('returns');
    await v.tid('intro-submit').click();

    const offered = nextEvent<OfferView>(socket, 'offer');
    await v.write('你们几点下班？');
    const offer = await offered;
    expect(offer.conversation.category).toBe('returns');
    const stored = await gw.models.Conversation.findById(offer.conversation.id).lean();
    expect(stored?.category).toBe('returns');
    expect(await eventTypes(offer.conversation.id)).toContain('conversation.category_changed');
    socket.disconnect();
    await v.page.close();
  });

  it('lets an agent change the category and add and remove labels from the console', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = new ConsolePage(await browser.context.newPage(), gw.url);
    await ana.login(a.email, a.password);

    const session = await openVisitorSession(gw.url, desk.inbox.key, { name: 'Vera Visitor' });
    const visitor = await connectVisitor(gw.url, session.token);
    const sent = await call<MessageView>(visitor, 'message:send', {
      clientId: 'v-1',
      text: 'I want a refund',
    });
    const id = sent.conversationId;
    await ana.tid('offer-accept').click();
    await ana.history('I want a refund').waitFor();
    await ana
      .tid('category')
      .locator('option:checked')
      .filter({ hasText: 'Returns and exchanges' })
      .waitFor({ state: 'attached' });

    await ana.tid('category').selectOption('billing');
    await eventually(
      () => gw.models.Conversation.findById(id).lean(),
      (c) => c?.category === 'billing',
    );
    await ana.tid('label-input').fill('double charge');
    await ana.tid('label-input').press('Enter');
    await ana.tid('label').filter({ hasText: 'double charge' }).waitFor();
    await ana.tid('label-input').fill('follow up');
    await ana.tid('label-add').click();
    await ana.tid('label').filter({ hasText: 'follow up' }).waitFor();
    await ana
      .tid('label')
      .filter({ hasText: 'double charge' })
      .locator('[data-testid="label-remove"]')
      .click();
    await ana.tid('label').filter({ hasText: 'double charge' }).waitFor({ state: 'detached' });
    await ana.tid('priority').selectOption('3');
    const stored = await eventually(
      () => gw.models.Conversation.findById(id).lean(),
      (c) => c?.priority === 3,
    );
    expect(stored).toMatchObject({ category: 'billing', labels: ['follow up'] });
    // The timeline event follows the stored change.
    const types = await eventually(
      () => eventTypes(id),
      (list) => list.includes('conversation.priority_changed'),
    );
    expect(types.filter((t) => t === 'conversation.category_changed')).toHaveLength(2);
    expect(types.filter((t) => t === 'conversation.labels_changed')).toHaveLength(3);

    // A label being typed survives a change someone else makes meanwhile.
    await ana.tid('label-input').fill('callback');
    const lead = await connectAgent(gw.url, (await desk.agent({ role: 'supervisor', capacity: 0 })).token);
    await call(lead, 'conversation:classify', { conversationId: id, priority: 1 });
    await ana.page.waitForFunction(
      () => document.querySelector<HTMLSelectElement>('[data-testid="priority"]')?.value === '1',
    );
    await ana.tid('label-input').press('Enter');
    await ana.tid('label').filter({ hasText: 'callback' }).waitFor();
    await eventually(
      () => gw.models.Conversation.findById(id).lean(),
      (c) => JSON.stringify(c?.labels) === JSON.stringify(['follow up', 'callback']),
    );
    lead.close();

    // The Chinese interface names the category in Chinese.
    await ana.tid('language').selectOption('zh-CN');
    await ana.tid('mine-item').locator('button').click();
    await ana
      .tid('category')
      .locator('option:checked')
      .filter({ hasText: '账单与费用' })
      .waitFor({ state: 'attached' });
    visitor.disconnect();
    await ana.page.close();
  });
});
