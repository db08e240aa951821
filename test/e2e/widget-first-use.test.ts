/**
 * The widget as a new visitor meets it: it opens at the newest message after a reload,
 * never promises a quick answer after saying nobody is online, names the agent with their
 * avatar the way chat apps do, and tells a waiting visitor their place in natural words
 * in English and Chinese, on a desktop and on a phone.
 */
import type { ConversationView, OfferView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createDesk,
  nextEvent,
  openVisitorSession,
  startGateway,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';
import { VisitorPage, buildUi, openBrowser, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await gw?.close();
});

/** An agent of the desk, online over a socket (capacity 0 keeps every conversation in the queue). */
async function onlineAgent(
  desk: Awaited<ReturnType<typeof createDesk>>,
  a: { name?: string; capacity?: number } = {},
): Promise<AgentClient> {
  const agent = await desk.agent(a);
  const socket = await connectAgent(gw.url, agent.token);
  sockets.push(socket);
  await call(socket, 'presence:set', { presence: 'online' });
  return socket;
}

async function visitorPage(inboxKey: string, locale = 'en'): Promise<VisitorPage> {
  const v = new VisitorPage(await browser.context.newPage(), gw.url, inboxKey);
  await v.page.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(inboxKey)}&locale=${locale}`);
  return v;
}

/** How far the chat log is from its end, in pixels (0 when the newest line is in view). */
function distanceFromEnd(v: VisitorPage): Promise<number> {
  return v.tid('log').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);
}

describe('the widget for a new visitor', () => {
  it('opens at the newest message after a reload, with the history loaded while it was closed', async () => {
    const desk = await createDesk(gw);
    await onlineAgent(desk, { capacity: 0 });
    const v = await visitorPage(desk.inbox.key);
    await v.tid('launcher').click();
    await v.write('Hello');
    await v.tid('status').filter({ hasText: "You're next in line." }).waitFor();
    for (let i = 1; i <= 16; i++) await v.write(`Question number ${i} about my order`);
    await v
      .message('Question number 16 about my order')
      .and(v.page.locator('[data-status="sent"]'))
      .waitFor();

    await v.page.reload();
    // The history arrives while the panel is still closed.
    await v.message('Question number 16 about my order').waitFor({ state: 'attached' });
    await v.tid('launcher').click();
    await v.message('Question number 16 about my order').waitFor();
    expect(await distanceFromEnd(v)).toBeLessThan(2);

    // Scrolled up to read, the visitor stays where they are when they close and reopen it.
    await v.tid('log').evaluate((log) => (log.scrollTop = 0));
    await v.tid('close').click();
    await v.tid('launcher').click();
    expect(await v.tid('log').evaluate((log) => log.scrollTop)).toBe(0);
    await v.page.close();
  });

  it('says the same thing everywhere while no one is online: a reply by email, no place in line or minutes', async () => {
    const desk = await createDesk(gw, { sla: { pickupTargetMs: 1500 } });
    const v = await visitorPage(desk.inbox.key);
    await v.tid('launcher').click();
    await v.tid('offline-form').filter({ hasText: 'we will reply by email' }).waitFor();
    await v.tid('intro-name').fill('Olga Offline');
    await v.tid('intro-email').fill('olga@example.test');
    await v.tid('intro-message').fill('Do you ship to Norway?');
    await v.tid('intro-submit').click();

    await v
      .tid('status')
      .filter({ hasText: "No one is available to chat right now, so we'll reply" })
      .waitFor();
    // The pickup deadline passes: the notice keeps to the email promise.
    const notice = v.messages('out').filter({ hasText: 'will reply by email' });
    await notice.waitFor();
    const everything = `${await v.tid('status').textContent()} ${await v.tid('log').textContent()}`;
    expect(everything).not.toMatch(/in line|will answer within|next free agent/i);
    await v.page.close();
  });

  it("shows the agent's name and initials in the header and beside their messages, not a role in brackets", async () => {
    const desk = await createDesk(gw);
    const agent = await onlineAgent(desk, { name: 'Dana Whitfield' });
    const v = await visitorPage(desk.inbox.key);
    await v.tid('launcher').click();
    const offered = nextEvent<OfferView>(agent, 'offer');
    await v.write('Is the blue tent waterproof?');
    const { conversation } = await offered;
    await call<ConversationView>(agent, 'offer:accept', { conversationId: conversation.id });
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: 'dana-1',
      text: 'Yes, up to 3000 mm.',
      private: false,
    });
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: 'dana-2',
      text: 'It also comes with a footprint.',
      private: false,
    });
    await v.message('It also comes with a footprint.').waitFor();

    await v
      .tid('title')
      .filter({ hasText: /^Dana Whitfield$/ })
      .waitFor();
    expect(await v.tid('header-avatar').textContent()).toBe('DW');
    expect(await v.tid('agent-role').textContent()).toBe('Customer support');
    // One name and avatar for the run of her two messages.
    expect(await v.tid('agent-avatar').allTextContents()).toEqual(['DW']);
    expect(await v.tid('agent-name').allTextContents()).toEqual(['Dana Whitfield']);
    expect(await v.tid('panel').textContent()).not.toMatch(/\(agent\)/);
    await screenshot(v.page, 'widget-agent', true);
    await v.page.close();
  });

  it('tells waiting visitors their place as people say it, in English and Chinese', async () => {
    const desk = await createDesk(gw);
    await onlineAgent(desk, { capacity: 0 });
    const ahead = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
    sockets.push(ahead);
    await call(ahead, 'message:send', { clientId: 'ahead', text: 'I was here first' });

    const en = await visitorPage(desk.inbox.key, 'en');
    await en.tid('launcher').click();
    await en.write('Second in line');
    await en.tid('status').filter({ hasText: 'One person is ahead of you.' }).waitFor();

    // Another visitor (a browser of their own), in Chinese, on a phone.
    const other = await openBrowser();
    try {
      const zh = new VisitorPage(await other.context.newPage(), gw.url, desk.inbox.key);
      await zh.page.setViewportSize({ width: 390, height: 740 });
      await zh.page.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(desk.inbox.key)}&locale=zh-CN`);
      await zh.tid('launcher').click();
      await zh.write('我想问一下退货');
      await zh.tid('status').filter({ hasText: '您前面还有 2 位顾客。' }).waitFor();
      expect(await zh.tid('status').textContent()).not.toMatch(/含您/);
      // On a phone the chat fills the screen.
      const box = await zh.tid('panel').boundingBox();
      expect(box?.width).toBe(390);
      await screenshot(zh.page, 'widget-zh-mobile', true);
    } finally {
      await other.close();
    }
    await en.page.close();
  });
});
