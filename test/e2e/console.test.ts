/**
 * The agent console's working tools in a real browser: taking from the queue with its
 * live timers, private notes the customer never sees, transfer to a colleague, resolve
 * and reopen, attachments both ways, the customer profile, and the Chinese interface.
 */
import { createDesk, startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, VisitorPage, buildUi, openBrowser } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
let gw: TestGateway;
let visitorBrowser: Opened;
let staffBrowser: Opened;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  [visitorBrowser, staffBrowser] = await Promise.all([openBrowser(), openBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([visitorBrowser?.close(), staffBrowser?.close()]);
  await gw?.close();
});

async function consoleFor(email: string, password: string) {
  const c = new ConsolePage(await staffBrowser.context.newPage(), gw.url);
  await c.login(email, password);
  return c;
}

describe('the agent console', () => {
  it('takes a waiting conversation from the queue, keeps notes private, and resolves and reopens it', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = await consoleFor(a.email, a.password);
    await ana.tid('presence').selectOption('away');
    await ana.page.locator('[data-testid="me"][data-presence="away"]').waitFor();

    const visitor = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, desk.inbox.key);
    await visitor.page.goto(`${gw.url}/demo/?inbox=${desk.inbox.key}`);
    await visitor.tid('launcher').click();
    // Nobody is online: the offline form still opens the conversation.
    await visitor.tid('intro-name').fill('Vera Visitor');
    await visitor.tid('intro-email').fill('vera@example.test');
    await visitor.tid('intro-message').fill('My stove leaks gas');
    await visitor.tid('intro-submit').click();

    const item = ana.tid('queue-item').filter({ hasText: 'Vera Visitor' });
    await item.waitFor();
    await item
      .locator('[data-testid="queue-waiting"]')
      .filter({ hasText: /^0:0\d$/ })
      .waitFor();
    await item
      .locator('[data-testid="pickup-countdown"].calm')
      .filter({ hasText: /^[45]:\d\d$/ })
      .waitFor();
    await item.locator('[data-testid="queue-take"]').click();

    await ana.tid('mine-item').filter({ hasText: 'Vera Visitor' }).waitFor();
    await ana.tid('queue-item').filter({ hasText: 'Vera Visitor' }).waitFor({ state: 'detached' });
    await ana.history('My stove leaks gas').waitFor();
    await ana.tid('profile-name').filter({ hasText: 'Vera Visitor' }).waitFor();
    await ana.tid('identities').filter({ hasText: 'webchat' }).waitFor();
    // Her only conversation is the open one, which is not listed again under past conversations.
    await ana.tid('past-conversations').filter({ hasText: 'This is their first conversation.' }).waitFor();

    await ana.reply('Customer sounds worried — escalate if it happens again', true);
    await ana.page.locator('[data-testid="history-message"][data-private="true"]').waitFor();
    await ana.reply('Please turn off the gas valve; we are sending a technician.');
    await visitor.message('Please turn off the gas valve; we are sending a technician.').waitFor();
    await visitor.messages().filter({ hasText: 'escalate' }).waitFor({ state: 'detached' });
    expect(await visitor.messages().filter({ hasText: 'escalate' }).count()).toBe(0);

    await ana.tid('resolve').click();
    await ana.tid('conversation-status').filter({ hasText: 'Resolved' }).waitFor();
    await ana.tid('mine-item').waitFor({ state: 'detached' });
    await visitor.tid('status').filter({ hasText: 'resolved' }).waitFor();
    await ana.tid('reopen').click();
    await ana
      .tid('conversation-status')
      .filter({ hasText: /Queued|Assigned/ })
      .waitFor();
    await Promise.all([ana.page.close(), visitor.page.close()]);
  });

  it('transfers a conversation to a colleague, whose console picks it up live', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const b = await desk.agent({ name: 'Bo Colleague' });
    const bo = await consoleFor(b.email, b.password);
    await bo.tid('presence').selectOption('away');
    await bo.page.locator('[data-testid="me"][data-presence="away"]').waitFor();
    const ana = await consoleFor(a.email, a.password);

    const visitor = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, desk.inbox.key);
    await visitor.open();
    await visitor.write('I need to change my order');
    await ana.tid('offer-accept').click();
    await ana.history('I need to change my order').waitFor();

    await bo.tid('presence').selectOption('online');
    await ana.tid('transfer-target').selectOption(`agent:${b.id}`);
    await ana.tid('transfer').click();
    await ana.tid('mine-item').waitFor({ state: 'detached' });
    await bo.tid('mine-item').locator('button').click();
    await bo.history('I need to change my order').waitFor();
    await bo.reply('Bo here, I can help with that.');
    await visitor.message('Bo here, I can help with that.').waitFor();
    await visitor.tid('status').filter({ hasText: 'Bo Colleague' }).waitFor();
    await Promise.all([ana.page.close(), bo.page.close(), visitor.page.close()]);
  });

  it('sends and shows attachments both ways, within the limits the server states', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = await consoleFor(a.email, a.password);
    const visitor = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, desk.inbox.key);
    await visitor.open();
    await visitor.tid('panel').locator('input[type="file"]').setInputFiles({
      name: 'receipt.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await ana.tid('offer-accept').click();
    const fromVisitor = ana.tid('history').locator('a.att img[alt="receipt.png"]');
    await fromVisitor.waitFor();
    expect(await fromVisitor.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

    await ana.tid('reply-attach-hint').filter({ hasText: 'Images and documents, up to 10 MB' }).waitFor();
    await ana
      .tid('reply-file')
      .setInputFiles({ name: 'run.sh', mimeType: 'text/x-sh', buffer: Buffer.from('rm -rf /') });
    await ana
      .tid('reply-attach-hint')
      .filter({ hasText: 'run.sh is not a kind of file that can be sent.' })
      .waitFor();
    await ana.tid('reply-file').setInputFiles({
      name: 'manual.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await ana.tid('reply-attachment').filter({ hasText: 'manual.pdf' }).waitFor();
    await ana.reply('Here is the manual.');
    await ana.tid('reply-attachment').waitFor({ state: 'detached' });
    const link = visitor.message('Here is the manual.').locator('a.att', { hasText: 'manual.pdf' });
    await link.waitFor();
    const res = await fetch(new URL((await link.getAttribute('href')) ?? '', gw.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    await Promise.all([ana.page.close(), visitor.page.close()]);
  });

  it("shows an SMS reply's length and parts while the agent types", async () => {
    const desk = await createDesk(gw, { channel: 'sms' });
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = await consoleFor(a.email, a.password);
    await gw.app.ingest.ingest({
      inboxId: String(desk.inbox._id),
      from: { channel: 'sms', address: '+15551230001' },
      profile: { phone: '+15551230001' },
      dedupeKey: 'SM-console-length',
      text: 'Is my parcel on its way?',
    });
    await ana.tid('offer-accept').click();
    await ana.history('Is my parcel on its way?').waitFor();
    const length = ana.tid('sms-length');
    await ana.tid('reply-text').fill('a'.repeat(161));
    await length.filter({ hasText: '161 characters · 2 SMS (GSM-7)' }).waitFor();
    await ana.tid('reply-text').fill('你好'.repeat(36));
    await length.filter({ hasText: '72 characters · 2 SMS (UCS-2)' }).waitFor();
    await ana.page.close();
  });

  it('speaks Simplified Chinese when chosen, and remembers the choice', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = await consoleFor(a.email, a.password);
    await ana.tid('language').selectOption('zh-CN');
    await ana.page.getByText('我的会话').waitFor();
    await ana.page.reload();
    await ana.page.getByText('我的会话').waitFor();
    expect(await ana.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await ana.tid('language').selectOption('en');
    await ana.page.getByText('My conversations').waitFor();
    await ana.page.close();
  });

  it('lets an agent decline an offer, which then goes to a colleague', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const b = await desk.agent({ name: 'Bo Colleague' });
    const bo = await consoleFor(b.email, b.password);
    await bo.tid('presence').selectOption('away');
    await bo.page.locator('[data-testid="me"][data-presence="away"]').waitFor();
    const ana = await consoleFor(a.email, a.password);
    const visitor = new VisitorPage(await visitorBrowser.context.newPage(), gw.url, desk.inbox.key);
    await visitor.open();
    await visitor.write('Hello?');
    await ana
      .tid('offer')
      .locator('[data-testid="offer-expiry"]')
      .filter({ hasText: /^0:5\d$/ })
      .waitFor();
    await bo.tid('presence').selectOption('online');
    await bo.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    await ana.tid('offer-decline').click();
    await ana.tid('offer').waitFor({ state: 'detached' });
    await bo.tid('offer').waitFor();
    await bo.tid('offer-accept').click();
    await bo.history('Hello?').waitFor();
    await Promise.all([ana.page.close(), bo.page.close(), visitor.page.close()]);
  });
});
