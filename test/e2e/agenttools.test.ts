/**
 * Agents' everyday tools in the console: a canned response inserted by its "/" shortcut
 * with its variables filled, the forbidden-phrase warning before sending, a contact
 * note edited in the profile, and search finding English and Chinese conversations by
 * words inside their messages and by number.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '../../shared/protocol';
import {
  api,
  call,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { ConsolePage, buildUi, openBrowser, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000', SEARCH_INDEX_DELAY_MS: '50' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** A desk, its agent signed in, and a customer whose conversation the agent accepted. */
async function served(customer: string, first: string) {
  const desk = await createDesk(gw);
  const a = await desk.agent({ name: 'Ana Agent' });
  const ana = new ConsolePage(await browser.context.newPage(), gw.url);
  await ana.login(a.email, a.password);
  const session = await openVisitorSession(gw.url, desk.inbox.key, { name: customer });
  const visitor = await connectVisitor(gw.url, session.token);
  const { conversationId } = await call<MessageView>(visitor, 'message:send', {
    clientId: randomUUID(),
    text: first,
  });
  await ana.tid('offer-accept').click();
  await ana.history(first).waitFor();
  const conv = await gw.models.Conversation.findById(conversationId).lean();
  return { desk, a, ana, visitor, conversationId, number: conv!.number };
}

describe('canned responses in the composer', () => {
  it('opens the list on "/", filters it as the agent types and inserts the chosen one with variables filled', async () => {
    const admin = await createAgent(gw, { role: 'admin', name: 'Root' });
    const s = await served('Li Na', 'Where is my order?');
    await api(gw.url, admin.token, 'POST', '/canned-responses', {
      title: 'Greeting',
      shortcut: 'greet',
      text: 'Hello {customer.name}, I am {agent.name}; your case is #{conversation.number}.',
    });
    await api(gw.url, admin.token, 'POST', '/canned-responses', {
      title: '退款流程',
      shortcut: 'refund',
      text: '{customer.name}您好，退款会在三个工作日内到账。',
      teamId: String(s.desk.team._id),
    });
    // The list is read when the composer is built: open the conversation again.
    await s.ana.page.reload();
    await s.ana.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    await s.ana.page
      .locator(`[data-testid="mine-item"][data-conversation-id="${s.conversationId}"] button.who`)
      .click();
    const text = s.ana.tid('reply-text');
    await text.waitFor();

    await text.pressSequentially('/');
    await s.ana.tid('canned-option').first().waitFor();
    expect(await s.ana.tid('canned-option').count()).toBe(2);
    // By title, in Chinese.
    await text.pressSequentially('退款');
    await s.ana.tid('canned-option').and(s.ana.page.locator('[data-shortcut="refund"]')).waitFor();
    expect(await s.ana.tid('canned-option').count()).toBe(1);
    await text.fill('');
    await text.pressSequentially('/gr');
    await s.ana.tid('canned-option').and(s.ana.page.locator('[data-shortcut="greet"]')).waitFor();
    expect(await s.ana.tid('canned-option').count()).toBe(1);
    await screenshot(s.ana.page, 'canned-picker');
    await text.press('Enter');
    await s.ana.tid('canned-list').waitFor({ state: 'hidden' });
    const filled = `Hello Li Na, I am Ana Agent; your case is #${s.number}.`;
    expect(await text.inputValue()).toBe(filled);

    const received = nextEvent<MessageView>(s.visitor, 'message', (m) => m.text === filled);
    await text.press('Enter');
    await received;

    // Arrow keys choose among several.
    await text.pressSequentially('/');
    await s.ana.tid('canned-option').nth(1).waitFor();
    await text.press('ArrowDown');
    await text.press('Enter');
    expect(await text.inputValue()).toBe('Li Na您好，退款会在三个工作日内到账。');
    s.visitor.close();
    await s.ana.page.close();
  });

  it('lets an admin add a canned response in the management screen', async () => {
    const admin = await createAgent(gw, { role: 'admin', name: 'Root', password: 'a long admin password' });
    const email = (await gw.models.Agent.findById(admin.id).lean())!.email;
    const root = new ConsolePage(await browser.context.newPage(), gw.url);
    await root.login(email, 'a long admin password');
    await root.tid('tab-canned').click();
    await root.tid('canned-title').fill('Closing');
    await root.tid('canned-shortcut').fill('bye');
    await root.tid('canned-text').fill('Thank you for contacting us, {customer.name}.');
    await root.tid('canned-save').click();
    await root.tid('canned-item').and(root.page.locator('[data-shortcut="bye"]')).waitFor();
    const stored = await gw.models.CannedResponse.findOne({ shortcut: 'bye' }).lean();
    expect(stored).toMatchObject({ title: 'Closing', teamId: null });
    await root.page.close();
  });
});

describe('the forbidden-phrase warning', () => {
  it('names the phrase before sending; the agent edits the reply or sends it anyway', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    await api(gw.url, admin.token, 'POST', '/forbidden-phrases', { phrase: 'calm down' });
    await api(gw.url, admin.token, 'POST', '/forbidden-phrases', {
      phrase: '不知道',
      hint: '请说“我帮您查一下”。',
    });
    const s = await served('Bo', 'This is the third time I ask!');
    await s.ana.page.reload();
    await s.ana.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    await s.ana.page
      .locator(`[data-testid="mine-item"][data-conversation-id="${s.conversationId}"] button.who`)
      .click();
    await s.ana.tid('reply-text').waitFor();

    await s.ana.reply('Please Calm  Down, I am looking.');
    const warning = s.ana.tid('phrase-warning');
    await warning.filter({ hasText: 'calm down' }).waitFor();
    await screenshot(s.ana.page, 'forbidden-phrase-warning');
    expect(await s.ana.history('Please Calm').count()).toBe(0);
    await s.ana.tid('phrase-edit').click();
    await warning.waitFor({ state: 'hidden' });
    await s.ana.tid('reply-text').fill('我也不知道，请稍等');
    await s.ana.tid('reply-send').click();
    await warning.filter({ hasText: '不知道' }).filter({ hasText: '我帮您查一下' }).waitFor();
    const sent = nextEvent<MessageView>(s.visitor, 'message', (m) => m.text === '我也不知道，请稍等');
    await s.ana.tid('phrase-send-anyway').click();
    await sent;
    await s.ana.history('我也不知道').waitFor();

    // A reply without one goes at once.
    await s.ana.reply('I understand, one moment.');
    await s.ana.history('I understand, one moment.').waitFor();
    expect(await warning.isHidden()).toBe(true);
    s.visitor.close();
    await s.ana.page.close();
  });
});

describe("the customer's notes", () => {
  it('lets the agent serving the customer write a note and an attribute in the profile', async () => {
    const s = await served('Chen Jie', 'Hi there');
    const details = s.ana.tid('contact-details');
    await details
      .locator('[data-testid="contact-notes"]')
      .fill('Prefers to be called after 6 pm. 晚上六点后联系。');
    await details.locator('[data-testid="attribute-name"]').fill('order');
    await details.locator('[data-testid="attribute-value"]').fill('A-2024');
    await details.locator('[data-testid="details-save"]').click();
    await details.locator('[data-testid="details-status"]').filter({ hasText: 'Saved.' }).waitFor();
    const conv = await gw.models.Conversation.findById(s.conversationId).lean();
    const note = await gw.models.ContactNote.findOne({ contactId: conv!.contactId }).lean();
    expect(note?.text).toBe('Prefers to be called after 6 pm. 晚上六点后联系。');
    const contact = await gw.models.Contact.findById(conv!.contactId).lean();
    expect(contact?.attributes).toMatchObject({ order: 'A-2024' });
    await details.locator('input[data-attribute="order"]').waitFor();
    await screenshot(s.ana.page, 'contact-notes');
    s.visitor.close();
    await s.ana.page.close();
  });
});

describe('search', () => {
  it('finds an English and a Chinese conversation by words inside their messages and by number', async () => {
    const s = await served('Emma', 'Hello');
    const word = `parcel${randomUUID().slice(0, 4)}`;
    await call(s.visitor, 'message:send', {
      clientId: randomUUID(),
      text: `My ${word} arrived damaged yesterday`,
    });
    const session = await openVisitorSession(gw.url, s.desk.inbox.key, { name: '王芳' });
    const other = await connectVisitor(gw.url, session.token);
    const zh = await call<MessageView>(other, 'message:send', {
      clientId: randomUUID(),
      text: '发票抬头写错了，需要重新开具',
    });
    const zhNumber = (await gw.models.Conversation.findById(zh.conversationId).lean())!.number;
    await eventually(
      () => gw.models.SearchEntry.countDocuments({ conversationId: zh.conversationId }),
      (n) => n > 0,
    );

    await s.ana.tid('tab-search').click();
    const box = s.ana.tid('search-box');
    await box.fill(`${word} damaged`);
    const en = s.ana
      .tid('search-result')
      .and(s.ana.page.locator(`[data-conversation-id="${s.conversationId}"]`));
    await en.waitFor();
    expect(await en.locator('[data-testid="search-snippet"]').textContent()).toContain(
      `${word} arrived damaged`,
    );
    expect(await s.ana.tid('search-result').count()).toBe(1);

    await box.fill('重新开具');
    const cn = s.ana
      .tid('search-result')
      .and(s.ana.page.locator(`[data-conversation-id="${zh.conversationId}"]`));
    await cn.waitFor();
    expect(await s.ana.tid('search-result').count()).toBe(1);
    await screenshot(s.ana.page, 'search-chinese');

    await box.fill(`#${s.number}`);
    await s.ana
      .tid('search-result')
      .first()
      .and(s.ana.page.locator(`[data-conversation-id="${s.conversationId}"]`))
      .waitFor();
    await box.fill(String(zhNumber));
    await cn.waitFor();
    await cn.locator('button').first().click();
    // The open conversation is the Chinese one: its own history is shown.
    await s.ana.tid('conversation-title').waitFor();
    await s.ana.history('发票抬头写错了').waitFor();
    other.close();
    s.visitor.close();
    await s.ana.page.close();
  });
});
