/**
 * The widget on a host page, in a real browser: isolated from the page (shadow DOM, no
 * globals), the offline and pre-chat forms, Chinese from data-locale, keyboard use,
 * attachment limits before upload, and the unread badge.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageView, OfferView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  createDesk,
  eventually,
  nextEvent,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { VisitorPage, buildUi, openBrowser } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({
    env: { OFFER_TIMEOUT_MS: '60000', ATTACHMENT_MAX_BYTES: String(5 * 1024 * 1024) },
  });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function onlineAgent(desk: Awaited<ReturnType<typeof createDesk>>) {
  const agent = await desk.agent({ name: 'Ana' });
  const socket = await connectAgent(gw.url, agent.token);
  await call(socket, 'presence:set', { presence: 'online' });
  return socket;
}

async function visit(inboxKey: string, query = '') {
  const p = await browser.context.newPage();
  await p.addInitScript(() => {
    Object.defineProperty(window, '__globalsBefore', { value: Object.getOwnPropertyNames(window) });
  });
  const v = new VisitorPage(p, gw.url, inboxKey);
  await p.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(inboxKey)}${query}`);
  return v;
}

describe('the embedded widget', () => {
  it('takes a message through the offline form, in Chinese, when no agent is online', async () => {
    const desk = await createDesk(gw, { settings: { replyExpectation: '我们将在 4 小时内回复。' } });
    const v = await visit(desk.inbox.key, '&locale=zh-CN');
    await v.tid('launcher').click();
    await v.tid('offline-form').filter({ hasText: '目前没有客服在线' }).waitFor();
    await v.tid('offline-form').filter({ hasText: '我们将在 4 小时内回复。' }).waitFor();

    await v.tid('intro-submit').click();
    await v.tid('offline-form').filter({ hasText: '请填写此项' }).waitFor();
    await v.tid('intro-name').fill('王小明');
    await v.tid('intro-email').fill('xiaoming@example.test');
    await v.tid('intro-message').fill('帐篷什么时候发货？');
    await v.tid('intro-submit').click();

    await v.message('帐篷什么时候发货？').and(v.page.locator('[data-status="sent"]')).waitFor();
    await v.tid('composer').and(v.page.locator('[placeholder="输入消息…"]')).waitFor();
    const conv = await eventually(
      () => gw.models.Conversation.findOne({ inboxId: desk.inbox._id }).lean(),
      (c) => c !== null,
    );
    const contact = await gw.models.Contact.findById(conv?.contactId).lean();
    expect(contact).toMatchObject({ name: '王小明', email: 'xiaoming@example.test' });
    await v.page.close();
  });

  it('asks for name and email first when the inbox wants a pre-chat form', async () => {
    const desk = await createDesk(gw, { settings: { preChat: { enabled: true, requireEmail: true } } });
    const agent = await onlineAgent(desk);
    const v = await visit(desk.inbox.key, '&locale=en');
    await v.tid('launcher').click();
    await v.tid('prechat-form').waitFor();
    await v.tid('intro-name').fill('Vera Visitor');
    await v.tid('intro-email').fill('not-an-email');
    await v.tid('intro-submit').click();
    await v.tid('prechat-form').filter({ hasText: 'valid email' }).waitFor();
    await v.tid('intro-email').fill('vera@example.test');
    await v.tid('intro-submit').click();

    const offered = nextEvent<OfferView>(agent, 'offer');
    await v.write('Hello from Vera');
    expect((await offered).conversation.contactName).toBe('Vera Visitor');
    agent.disconnect();
    await v.page.close();
  });

  it('stays out of the host page: shadow-DOM styles and no globals', async () => {
    const desk = await createDesk(gw);
    const v = await visit(desk.inbox.key);
    await v.tid('launcher').waitFor();
    const bg = await v.tid('launcher').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(52, 81, 209)'); // the page's `button { background: hotpink }` does not reach it
    const added = await v.page.evaluate(() => {
      const before = new Set((window as unknown as { __globalsBefore: string[] }).__globalsBefore);
      return Object.getOwnPropertyNames(window).filter((k) => !before.has(k) && k !== '__globalsBefore');
    });
    expect(added).toEqual([]);
    await v.page.close();
  });

  it("works from the one-line snippet on another site's origin", async () => {
    const desk = await createDesk(gw);
    const agent = await onlineAgent(desk);
    const site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><title>Shop</title><h1>A shop</h1>` +
          `<script src="${gw.url}/widget.js" data-inbox="${desk.inbox.key}" async></script>`,
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    expect(origin).not.toBe(gw.url);
    const v = new VisitorPage(await browser.context.newPage(), gw.url, desk.inbox.key);
    await v.page.goto(`${origin}/`);
    await v.tid('launcher').click();
    const offered = nextEvent<OfferView>(agent, 'offer');
    await v.write('Hello from the shop');
    expect((await offered).conversation.id).toMatch(/^[0-9a-f]{24}$/);
    await v.message('Hello from the shop').waitFor();
    agent.disconnect();
    await v.page.close();
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  });

  it('is operable from the keyboard with labelled controls', async () => {
    const desk = await createDesk(gw);
    const agent = await onlineAgent(desk);
    const v = await visit(desk.inbox.key);
    const launcher = v.tid('launcher');
    await launcher.focus();
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat');
    await v.page.keyboard.press('Enter');
    await v.tid('panel').waitFor({ state: 'visible' });
    expect(
      await v.tid('composer').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    expect(await v.tid('attach').getAttribute('aria-label')).toBe('Attach a file');
    await v.page.keyboard.type('Typed without a mouse');
    await v.page.keyboard.press('Enter');
    await v.message('Typed without a mouse').waitFor();
    await v.page.keyboard.press('Escape');
    await v.tid('panel').waitFor({ state: 'hidden' });
    expect(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    agent.disconnect();
    await v.page.close();
  });

  it("shows the server's attachment limits before upload and refuses files outside them", async () => {
    const desk = await createDesk(gw);
    const agent = await onlineAgent(desk);
    const v = await visit(desk.inbox.key);
    await v.tid('launcher').click();
    await v.tid('attach-hint').filter({ hasText: 'Images and documents, up to 5 MB' }).waitFor();
    const input = v.tid('panel').locator('input[type="file"]');
    await input.setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await v
      .tid('attach-hint')
      .filter({ hasText: 'setup.exe is not a kind of file that can be sent here.' })
      .waitFor();
    await input.setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    });
    await v.tid('attach-hint').filter({ hasText: 'huge.png is larger than 5 MB.' }).waitFor();
    agent.disconnect();
    await v.page.close();
  });

  it('counts unread replies on the launcher while the panel is closed', async () => {
    const desk = await createDesk(gw);
    const agent = await onlineAgent(desk);
    const v = await visit(desk.inbox.key);
    await v.tid('launcher').click();
    const offered = nextEvent<OfferView>(agent, 'offer');
    await v.write('Anyone there?');
    const { conversation } = await offered;
    await call(agent, 'offer:accept', { conversationId: conversation.id });
    await v.tid('close').click();

    for (const [i, text] of ['Yes, hello!', 'How can I help?'].entries()) {
      await call<MessageView>(agent, 'message:send', {
        conversationId: conversation.id,
        clientId: `r${i}`,
        text,
      });
    }
    await v.tid('unread').filter({ hasText: '2' }).waitFor();
    await v.tid('launcher').click();
    await v.message('How can I help?').waitFor();
    await v.tid('unread').waitFor({ state: 'hidden' });
    agent.disconnect();
    await v.page.close();
  });
});
