/**
 * The agent console as a new team meets it: supervisors start on their view, an offer is
 * listed once (under Incoming, not again in the queue), anonymous visitors have a readable
 * name, rows preview the newest message, changing language keeps the open conversation,
 * transfers offer only colleagues who can take the chat, and the profile lists the
 * customer's other conversations with their current status. Screens in English and
 * Chinese, at desktop and phone widths, are saved for the docs.
 */
import type { ConversationView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  createAgent,
  createDesk,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let visitorBrowser: Opened;
let staffBrowser: Opened;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  await buildUi();
  // A customer writing again after a resolution starts a new conversation (none is reopened).
  gw = await startGateway({
    env: { OFFER_TIMEOUT_MS: '60000', SLA_REPLY_TARGET_MS: '600000', REOPEN_WINDOW_MS: '1' },
  });
  [visitorBrowser, staffBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([visitorBrowser?.close(), staffBrowser?.close()]);
  await gw?.close();
});

async function consoleFor(a: { email: string; password: string }): Promise<ConsolePage> {
  const c = new ConsolePage(await staffBrowser.context.newPage(), gw.url);
  await c.login(a.email, a.password);
  return c;
}

async function visitorOf(inboxKey: string): Promise<VisitorPage> {
  const v = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, inboxKey);
  await v.open();
  return v;
}

describe('the agent console for a new team', () => {
  it('opens on the supervisor view for supervisors and on conversations for agents', async () => {
    const desk = await createDesk(gw);
    const lead = await createAgent(gw, { name: 'Lee Chen', role: 'supervisor' });
    const agent = await desk.agent({ name: 'Ana Agent' });
    const leadPage = await consoleFor(lead);
    await leadPage.page.locator('[data-testid="tab-supervisor"][aria-selected="true"]').waitFor();
    await leadPage.tid('supervisor').waitFor();
    const agentPage = await consoleFor(agent);
    await agentPage.page.locator('[data-testid="tab-work"][aria-selected="true"]').waitFor();
    await agentPage.tid('no-conversation').waitFor();
    await Promise.all([leadPage.page.close(), agentPage.page.close()]);
  });

  it('lists an offer once, names an anonymous visitor, previews the last message, and keeps it open across a language change', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const b = await desk.agent({ name: 'Bo Colleague' });
    const ana = await consoleFor(a);
    const visitor = await visitorOf(desk.inbox.key);
    await visitor.write('Where is my parcel?');

    const offer = ana.tid('offer');
    await offer.waitFor();
    const id = await offer.getAttribute('data-conversation-id');
    // Bo, who was not offered it, sees it waiting in the queue; Ana only under Incoming.
    const bo = await consoleFor(b);
    await bo.page.locator(`[data-testid="queue-item"][data-conversation-id="${id}"]`).waitFor();
    await ana.tid('queue').locator('[data-testid="empty"]').waitFor();
    expect(await ana.page.locator(`[data-testid="queue-item"][data-conversation-id="${id}"]`).count()).toBe(
      0,
    );
    await offer.locator('[data-testid="conversation-preview"]', { hasText: 'Where is my parcel?' }).waitFor();

    const number = (await gw.models.Conversation.findById(id).lean())?.number;
    const label = `Visitor ${number}`;
    await offer.filter({ hasText: label }).waitFor();
    await ana.tid('offer-accept').click();
    await ana
      .tid('conversation-title')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .waitFor();
    await ana
      .tid('profile-name')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .waitFor();
    expect(await ana.tid('profile').textContent()).not.toContain('—');
    await ana.reply('It left our warehouse this morning.');
    await ana
      .tid('mine-item')
      .locator('[data-testid="conversation-preview"]', { hasText: 'It left our warehouse this morning.' })
      .waitFor();
    await screenshot(ana.page, 'console-conversation-en', true);

    await ana.tid('language').selectOption('zh-CN');
    await ana.page.getByText('我的会话').waitFor();
    await ana
      .tid('conversation-title')
      .filter({ hasText: `访客 ${number}` })
      .waitFor();
    await ana.history('Where is my parcel?').waitFor();
    await ana.tid('reply-text').waitFor();
    await screenshot(ana.page, 'console-conversation-zh', true);
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(ana.page, 'console-mobile-zh', true);
    await ana.tid('language').selectOption('en');
    await ana.history('Where is my parcel?').waitFor();
    await Promise.all([ana.page.close(), bo.page.close(), visitor.page.close()]);
  });

  it('offers transfers only to colleagues who can take the chat, online first, in a styled list', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const online = await desk.agent({ name: 'Olivia Online' });
    const away = await desk.agent({ name: 'Arthur Away' });
    await desk.agent({ name: 'Otto Offline' });
    const ana = await consoleFor(a);
    const visitor = await visitorOf(desk.inbox.key);
    await visitor.write('Can someone from billing help?');
    await ana.tid('offer-accept').click();
    await ana.history('Can someone from billing help?').waitFor();
    // Colleagues come online (or away) once Ana has the chat.
    for (const [who, presence] of [
      [online, 'online'],
      [away, 'away'],
    ] as const) {
      const s = await connectAgent(gw.url, who.token);
      sockets.push(s);
      await call(s, 'presence:set', { presence });
    }

    const target = ana.tid('transfer-target');
    await target.locator(`option[value="agent:${online.id}"]`).waitFor({ state: 'attached' });
    const groups = await target
      .locator('optgroup')
      .evaluateAll((gs) =>
        gs.map((g) => [g.getAttribute('label'), [...g.querySelectorAll('option')].map((o) => o.textContent)]),
      );
    expect(groups.slice(0, 2)).toEqual([
      ['Online', ['Olivia Online']],
      ['Away', ['Arthur Away']],
    ]);
    expect(await target.textContent()).not.toContain('Otto Offline');
    expect(await target.evaluate((el) => getComputedStyle(el).appearance)).toBe('none');
    expect(await target.evaluate((el) => el.parentElement?.classList.contains('select'))).toBe(true);

    await target.selectOption(`agent:${online.id}`);
    await ana.tid('transfer').click();
    await ana.tid('mine-item').waitFor({ state: 'detached' });
    await Promise.all([ana.page.close(), visitor.page.close()]);
  });

  it("lists the customer's other conversations, not the open one, with their status as it changes", async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = await consoleFor(a);
    const visitor = await visitorOf(desk.inbox.key);
    await visitor.write('My first question');
    await ana.tid('offer-accept').click();
    await ana.history('My first question').waitFor();
    await ana.tid('past-conversations').filter({ hasText: 'This is their first conversation.' }).waitFor();
    const first = await gw.models.Conversation.findOne({ inboxId: desk.inbox._id }).lean();
    await ana.tid('resolve').click();
    await visitor.tid('status').filter({ hasText: 'resolved' }).waitFor();

    await visitor.write('Another question, later');
    await ana.tid('offer-accept').click();
    await ana.history('Another question, later').waitFor();
    const second = (
      await gw.models.Conversation.find({ inboxId: desk.inbox._id }).sort({ number: -1 }).lean()
    )[0];
    const row = (c: { _id: unknown } | null | undefined) =>
      ana.page.locator(`[data-testid="past-conversation"][data-conversation-id="${String(c?._id)}"]`);
    await row(first).locator('[data-testid="past-status"]', { hasText: 'Resolved' }).waitFor();
    expect(await row(second).count()).toBe(0);

    // From the first conversation, the second is listed, and its status follows what happens to it.
    await row(first).locator('button').click();
    await ana.history('My first question').waitFor();
    await row(second).locator('[data-testid="past-status"]', { hasText: 'Assigned' }).waitFor();
    expect(await row(first).count()).toBe(0);
    const resolved = await connectAgent(gw.url, a.token);
    sockets.push(resolved);
    await call<ConversationView>(resolved, 'conversation:resolve', { conversationId: String(second?._id) });
    await row(second).locator('[data-testid="past-status"]', { hasText: 'Resolved' }).waitFor();
    await Promise.all([ana.page.close(), visitor.page.close()]);
  });

  it('shows the sign-in page and the supervisor view in Chinese, at desktop and phone widths', async () => {
    const lead = await createAgent(gw, { name: '李晨', role: 'supervisor' });
    const p = new ConsolePage(await staffBrowser.context.newPage(), gw.url);
    await p.page.goto(`${gw.url}/console/`);
    await p.tid('login-email').waitFor();
    await screenshot(p.page, 'console-login', true);
    await p.login(lead.email, lead.password);
    await p.tid('language').selectOption('zh-CN');
    await p.page.locator('[data-testid="tab-supervisor"][aria-selected="true"]').waitFor();
    await p.tid('attainment').filter({ hasText: '今日达标率' }).waitFor();
    await screenshot(p.page, 'supervisor-zh', true);
    await p.page.setViewportSize({ width: 390, height: 844 });
    const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(p.page, 'supervisor-mobile-zh', true);
    await p.page.close();
  });
});
