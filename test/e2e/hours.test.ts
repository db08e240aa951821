/**
 * The widget on a host page while the inbox's calendar is closed, in a real browser: it
 * shows the opening hours and the next opening in the visitor's language and time zone and
 * the offline form, even with an agent of the team online, and never promises a pickup time.
 */
import {
  call,
  connectAgent,
  createAgent,
  createDesk,
  startGateway,
  type TestGateway,
} from '../harness/gateway';
import { assignCalendar } from '../harness/calendars';
import { VisitorPage, buildUi, openBrowser } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
let browser: Opened;
let admin = '';

beforeAll(async () => {
  await buildUi();
  gw = await startGateway();
  browser = await openBrowser();
  admin = (await createAgent(gw, { role: 'admin', capacity: 0 })).token;
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** A closed desk with one of its agents online, which a closed inbox must not count. */
async function closedDesk() {
  const desk = await createDesk(gw);
  const { opening } = await assignCalendar(gw, admin, String(desk.inbox._id), 'closed');
  const agent = await connectAgent(gw.url, (await desk.agent({ name: 'Ana' })).token);
  await call(agent, 'presence:set', { presence: 'online' });
  return { desk, opening, agent };
}

async function visit(inboxKey: string, locale: string) {
  const v = new VisitorPage(await browser.context.newPage(), gw.url, inboxKey);
  await v.page.goto(`${gw.url}/demo/?inbox=${encodeURIComponent(inboxKey)}&locale=${locale}`);
  await v.tid('launcher').click();
  return v;
}

/** The opening's time of day as this machine's zone (the browser's) shows it. */
const localTime = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

describe('the widget while the inbox is closed', () => {
  it('shows the hours, the next opening and the offline form in English, then no pickup promise', async () => {
    const { desk, opening, agent } = await closedDesk();
    const v = await visit(desk.inbox.key, 'en');
    const form = v.tid('offline-form');
    await form.waitFor();
    await v.tid('next-opening').filter({ hasText: "We're closed right now. We open again on" }).waitFor();
    expect(await v.tid('next-opening').textContent()).toContain(localTime(opening));
    await v.tid('hours').filter({ hasText: 'Opening hours' }).waitFor();
    expect(await v.tid('hours').locator('tr').count()).toBe(7);
    expect(await form.textContent()).not.toContain('No agent is online');

    await v.tid('intro-name').fill('Jane');
    await v.tid('intro-email').fill('jane@example.test');
    await v.tid('intro-message').fill('Do you ship to Norway?');
    await v.tid('intro-submit').click();
    await v.messages('out').filter({ hasText: 'open again tomorrow at' }).waitFor();
    await v.tid('status').filter({ hasText: "We're closed right now." }).waitFor();
    expect(await v.tid('status').textContent()).not.toMatch(/answer within/);
    await v.page.close();
    agent.close();
  });

  it('shows the same in Chinese', async () => {
    const { desk, opening, agent } = await closedDesk();
    const v = await visit(desk.inbox.key, 'zh-CN');
    await v.tid('offline-form').filter({ hasText: '请留言，我们会通过邮件回复您。' }).waitFor();
    await v.tid('next-opening').filter({ hasText: '现在是非工作时间。我们将于' }).waitFor();
    expect(await v.tid('next-opening').textContent()).toContain(localTime(opening));
    await v.tid('hours').filter({ hasText: '服务时间' }).waitFor();
    await v.tid('hours').filter({ hasText: '星期一' }).waitFor();
    await v.page.close();
    agent.close();
  });
});
