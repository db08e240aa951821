/**
 * The admin area in a real browser. A newcomer signs in as the admin, creates a team, an
 * agent and a web chat inbox, copies the widget snippet onto a page of their own site,
 * and the new agent receives that page's first conversation. Each form refuses bad
 * input beside the field (the browser's own checks and the server's reasons), and every
 * change shows in the audit log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startGateway, type TestGateway } from '../harness/gateway';
import { ConsolePage, buildUi, openBrowser, page, screenshot } from './browser';

type Opened = Awaited<ReturnType<typeof openBrowser>>;
const ADMIN = { email: 'owner@example.test', password: 'owner password 1' };
let gw: TestGateway;
let adminBrowser: Opened;
let agentBrowser: Opened;
let site: Server;
let siteUrl = '';
/** The page of the newcomer's own site, with whatever snippet was pasted into it. */
let pasted = '';

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({
    env: { OFFER_TIMEOUT_MS: '60000', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  });
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><html><head><title>Shop</title></head><body><h1>Our shop</h1>${pasted}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
  [adminBrowser, agentBrowser] = await Promise.all([openBrowser(), openBrowser()]);
  await adminBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
}, 60_000);

afterAll(async () => {
  await Promise.all([adminBrowser?.close(), agentBrowser?.close()]);
  await new Promise((resolve) => site?.close(resolve));
  await gw?.close();
});

let admin: ConsolePage;
beforeAll(async () => {
  admin = new ConsolePage(await page(adminBrowser.context), gw.url);
  await admin.login(ADMIN.email, ADMIN.password);
  await admin.tid('tab-admin').click();
});

/** The open section of the admin area, its form, and a field of the form by its API name. */
async function section(p: Page, id: string) {
  await p.locator(`[data-testid="admin-tab-${id}"]`).click();
  const s = p.locator(`[data-testid="admin-${id}"]`);
  await s.waitFor();
  return {
    s,
    field: (name: string) => s.locator(`[data-testid="field-${name}"]`),
    error: (name: string) => s.locator(`[data-testid="error-${name}"]`),
    formError: () => s.locator('[data-testid="form-error"]'),
    submit: () => s.locator('[data-testid="form-submit"]').click(),
    row: (kind: string, text: string) => s.locator(`[data-testid="${kind}-row"]`).filter({ hasText: text }),
    newOne: () => s.locator(`[data-testid="new-${id}"]`).click(),
  };
}

describe('setting up from the browser', () => {
  it('takes a newcomer from signing in to a conversation answered on their own site', async () => {
    expect((await fetch(gw.url, { redirect: 'manual' })).headers.get('location')).toBe('/console/');

    const teams = await section(admin.page, 'teams');
    await teams.newOne();
    await teams.field('name').fill('Front desk');
    await teams.submit();
    await teams.row('team', 'Front desk').waitFor();

    const agents = await section(admin.page, 'agents');
    await agents.newOne();
    await agents.field('name').fill('Nina New');
    await agents.field('email').fill('nina@example.test');
    await agents.field('password').fill('nina password 1');
    await agents.field('capacity').fill('3');
    await agents.s.locator('[data-testid="agent-team"][data-team="Front desk"]').check();
    await agents.submit();
    await agents.row('agent', 'nina@example.test').filter({ hasText: 'Front desk' }).waitFor();

    const inboxes = await section(admin.page, 'inboxes');
    await inboxes.newOne();
    await inboxes.field('name').fill('Our shop');
    await inboxes.field('teamId').selectOption({ label: 'Front desk' });
    await inboxes.field('settings.welcome').fill('Hello from the shop!');
    await inboxes.submit();
    const snippet = inboxes.s.locator('[data-testid="endpoint-snippet"]');
    await snippet.waitFor();
    await screenshot(admin.page, 'admin-inbox-ready', true);
    await inboxes.s.locator('[data-testid="endpoint-snippet-copy"]').click();
    await inboxes.s.getByText('Copied.').waitFor();
    pasted = await admin.page.evaluate(() => navigator.clipboard.readText());
    expect(pasted).toBe(await snippet.inputValue());
    expect(pasted).toMatch(
      new RegExp(`^<script src="${gw.url}/widget.js" data-inbox="[A-Za-z0-9_-]+" async></script>$`),
    );
    await inboxes
      .row('inbox', 'Our shop')
      .locator('[data-testid="inbox-health"][data-status="ok"]')
      .waitFor();

    const nina = new ConsolePage(await page(agentBrowser.context), gw.url);
    await nina.login('nina@example.test', 'nina password 1');
    expect(await nina.tid('tab-admin').count()).toBe(0);

    const visitor = await agentBrowser.context.newPage();
    await visitor.goto(siteUrl);
    await visitor.locator('[data-testid="launcher"]').click();
    await visitor.getByText('Hello from the shop!').waitFor();
    await visitor.locator('[data-testid="composer"]').fill('Do you ship to Lyon?');
    await visitor.locator('[data-testid="composer"]').press('Enter');

    await nina.offer().waitFor();
    await nina.tid('offer-accept').click();
    await nina.history('Do you ship to Lyon?').waitFor();
    await nina.reply('Yes, in two days.');
    await visitor.getByText('Yes, in two days.').waitFor();

    const audit = await section(admin.page, 'audit');
    for (const action of ['team.created', 'agent.created', 'inbox.created'])
      await audit.s.locator(`[data-testid="audit-entry"][data-action="${action}"]`).first().waitFor();
    await screenshot(admin.page, 'admin-audit', true);
  });
});

describe('the admin forms', () => {
  it('teams: refuse an empty name and a name taken, rename, manage members, refuse to delete a team with members', async () => {
    const f = await section(admin.page, 'teams');
    await f.newOne();
    await f.submit();
    await f.error('name').filter({ hasText: 'Required.' }).waitFor();
    await f.field('name').fill('Front desk');
    await f.submit();
    await f.formError().filter({ hasText: 'A team with this name exists.' }).waitFor();
    await f.field('name').fill('Escalations');
    await f.field('tier').selectOption('second');
    await f.submit();
    const row = f.row('team', 'Escalations');
    await row.filter({ hasText: 'Second line' }).waitFor();
    await row.locator('[data-testid="team-add-member"]').selectOption({ label: 'Nina New' });
    await row.locator('[data-testid="team-member"]').filter({ hasText: 'Nina New' }).waitFor();
    await row.locator('[data-testid="team-delete"]').click();
    await row.locator('[data-testid="team-delete"]').click();
    await f.s.locator('[data-testid="admin-notice"]').filter({ hasText: 'The team has 1 member' }).waitFor();
    await row.locator('[data-testid="team-member"] button').click();
    await row.locator('[data-testid="team-member"]').waitFor({ state: 'detached' });
    await row.locator('[data-testid="team-delete"]').click();
    await row.locator('[data-testid="team-delete"]').click();
    await row.waitFor({ state: 'detached' });
  });

  it('agents: refuse a short password, a capacity out of range and an email taken; reset a password; disable', async () => {
    const f = await section(admin.page, 'agents');
    await f.newOne();
    await f.field('name').fill('Omar');
    await f.field('email').fill('not-an-email');
    await f.field('password').fill('short');
    await f.field('capacity').fill('500');
    await f.submit();
    await f.error('email').filter({ hasText: 'Must be an email address.' }).waitFor();
    await f.error('password').filter({ hasText: 'At least 8 characters.' }).waitFor();
    await f.error('capacity').filter({ hasText: 'from 0 to 100' }).waitFor();
    await f.field('email').fill('nina@example.test');
    await f.field('password').fill('omar password 1');
    await f.field('capacity').fill('2');
    await f.submit();
    await f.formError().filter({ hasText: 'An agent with this email exists.' }).waitFor();
    await f.field('email').fill('omar@example.test');
    await f.field('role').selectOption('supervisor');
    await f.submit();
    const row = f.row('agent', 'omar@example.test');
    await row.filter({ hasText: 'Supervisor' }).waitFor();

    await row.locator('[data-testid="agent-password"]').click();
    await f.field('password').fill('omar password 2');
    await f.submit();
    await f.s
      .locator('[data-testid="admin-notice"]')
      .filter({ hasText: 'password of Omar was changed' })
      .waitFor();
    expect(
      (
        await fetch(`${gw.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'omar@example.test', password: 'omar password 2' }),
        })
      ).status,
    ).toBe(200);

    await row.locator('[data-testid="agent-toggle"]').click();
    await row.filter({ hasText: 'Disabled' }).waitFor();
    const stored = await gw.models.Agent.findOne({ email: 'omar@example.test' }).lean();
    expect(stored?.active).toBe(false);
  });

  it('inboxes: hint at a malformed SID, show the server reason beside the field, keep secrets write-only, disable and archive', async () => {
    const f = await section(admin.page, 'inboxes');
    await f.newOne();
    await f.field('channel').selectOption('sms');
    await f.field('name').fill('Text line');
    await f.field('settings.accountSid').fill('AC123');
    await f.field('settings.authToken').fill('0123456789abcdef0123');
    await f.submit();
    await f.error('settings.accountSid').filter({ hasText: 'does not look right' }).waitFor();
    await f.field('settings.accountSid').fill(`AC${'c'.repeat(32)}`);
    await f.field('settings.publicUrl').fill('https://support.example.com');
    await f.submit();
    // Neither a number nor a Messaging Service: the server says so, beside the number.
    await f
      .error('settings.from')
      .filter({ hasText: 'set the sending number (from) or a messagingServiceSid' })
      .waitFor();
    await f.field('settings.from').fill('+14155550100');
    await f.submit();
    await f.s.locator('[data-testid="endpoint-smsInbound"]').waitFor();
    const inbound = await f.s.locator('[data-testid="endpoint-smsInbound"]').inputValue();
    expect(inbound).toMatch(/^https:\/\/support\.example\.com\/channels\/sms\/[A-Za-z0-9_-]+\/inbound$/);

    const row = f.row('inbox', 'Text line');
    await row.locator('[data-testid="inbox-edit"]').click();
    const secret = f.field('settings.authToken');
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toMatch(/stored/);
    expect(await admin.page.content()).not.toContain('0123456789abcdef0123');
    await f.field('settings.sendRate').fill('2');
    await f.submit();
    // The editor gives way to what to paste where once the change is stored.
    await f.s.locator('[data-testid="inbox-done"]').waitFor();
    const stored = await gw.models.Inbox.findOne({ name: 'Text line' }).lean();
    expect(stored?.settings).toMatchObject({ authToken: '0123456789abcdef0123', sendRate: 2 });

    await row.locator('[data-testid="inbox-toggle"]').click();
    await row.locator('[data-testid="inbox-health"][data-status="disabled"]').waitFor();
    await screenshot(admin.page, 'admin-inboxes', true);

    // The shop's inbox has a conversation: deleting it archives it.
    const shop = f.row('inbox', 'Our shop');
    await shop.locator('[data-testid="inbox-delete"]').click();
    await shop.locator('[data-testid="inbox-delete"]').click();
    await f.s.locator('[data-testid="admin-notice"]').filter({ hasText: 'disabled and archived' }).waitFor();
    await shop.locator('[data-testid="inbox-health"][data-status="archived"]').waitFor();
  });

  it('calendars: refuse an unknown time zone, overlapping hours and a day both holiday and workday; save a good one', async () => {
    const f = await section(admin.page, 'calendars');
    await f.newOne();
    await f.field('name').fill('Shanghai office');
    await f.field('timeZone').fill('Mars/Olympus');
    await f.field('weekly.6').fill('ten to four');
    await f.submit();
    await f.error('timeZone').filter({ hasText: 'IANA time zone' }).waitFor();
    await f.error('weekly.6').filter({ hasText: '09:00-12:00' }).waitFor();
    await f.field('timeZone').fill('Asia/Shanghai');
    await f.field('weekly.6').fill('');
    await f.field('weekly.1').fill('09:00-12:00, 11:00-18:00');
    await f.submit();
    await f.error('weekly.1').filter({ hasText: 'must not overlap' }).waitFor();
    await f.field('weekly.1').fill('09:00-12:00, 13:00-18:00');
    await f.field('holidays').fill('2026-10-01 National Day\n2026-10-02');
    await f.field('extraWorkdays').fill('2026-10-02 Make-up');
    await f.submit();
    await f.error('extraWorkdays').filter({ hasText: 'is also a holiday' }).waitFor();
    await f.field('extraWorkdays').fill('2026-09-27 Make-up workday');
    await f.submit();
    const row = f.row('calendar', 'Shanghai office');
    await row.filter({ hasText: '09:00-12:00, 13:00-18:00' }).waitFor();
    const stored = await gw.models.Calendar.findOne({ name: 'Shanghai office' }).lean();
    expect(stored).toMatchObject({
      timeZone: 'Asia/Shanghai',
      holidays: [{ date: '2026-10-01', name: 'National Day' }, { date: '2026-10-02' }],
      extraWorkdays: [{ date: '2026-09-27', name: 'Make-up workday' }],
    });
    await row.locator('[data-testid="calendar-edit"]').click();
    await screenshot(admin.page, 'admin-calendar', true);
  });

  it('service levels: refuse a rule with no target, save rules and reorder them', async () => {
    const f = await section(admin.page, 'policies');
    await f.newOne();
    await f.field('name').fill('Shop chats');
    await f.submit();
    await f.error('targets').filter({ hasText: 'at least one clock' }).waitFor();
    await f.s.locator('[data-testid="field-targets.reply"] input[type="number"]').fill('-1');
    await f.submit();
    await f.error('targets.reply').filter({ hasText: 'more than 0' }).waitFor();
    await f.s.locator('[data-testid="field-targets.reply"] input[type="number"]').fill('0.5');
    await f.s.locator('[data-testid="field-targets.resolution"] input[type="number"]').fill('480');
    await f.s.locator('[data-testid="field-targets.resolution"] input[type="checkbox"]').check();
    await f.s.locator('[data-testid="policy-channels"] input[value="webchat"]').check();
    await f.submit();
    await f.row('policy', 'Shop chats').waitFor();
    await f.newOne();
    await f.field('name').fill('Urgent');
    await f.s.locator('[data-testid="policy-priorities"] input[value="3"]').check();
    await f.s.locator('[data-testid="field-targets.pickup"] input[type="number"]').fill('1');
    await f.submit();
    await f.row('policy', 'Urgent').waitFor();
    await f.row('policy', 'Urgent').locator('[data-testid="policy-up"]').click();
    await f.s.locator('[data-testid="policy-row"]').first().filter({ hasText: 'Urgent' }).waitFor();
    const rules = await gw.models.PolicyRule.find().sort({ order: 1 }).lean();
    expect(rules.map((r) => r.name)).toEqual(['Urgent', 'Shop chats']);
    expect(rules[1]?.targets).toMatchObject({
      reply: { ms: 30_000, businessHours: false },
      resolution: { ms: 480 * 60_000, businessHours: true },
    });
  });

  it('categories: refuse a malformed key and a key taken; archive a category in use, delete an unused one', async () => {
    const f = await section(admin.page, 'categories');
    await f.newOne();
    await f.field('key').fill('Bad Key');
    await f.submit();
    await f.error('key').filter({ hasText: 'Lower-case letters' }).waitFor();
    await f.error('names.en').filter({ hasText: 'Required.' }).waitFor();
    await f.field('key').fill('shipping');
    await f.field('names.en').fill('Shipping');
    await f.field('names.zh').fill('物流');
    await f.submit();
    await f.row('category', 'shipping').waitFor();
    await f.newOne();
    await f.field('key').fill('shipping');
    await f.field('names.en').fill('Again');
    await f.field('names.zh').fill('重复');
    await f.submit();
    await f.formError().filter({ hasText: 'A category with this key exists.' }).waitFor();

    await gw.models.Conversation.updateOne({}, { $set: { category: 'shipping' } });
    const row = f.row('category', 'shipping');
    await row.locator('[data-testid="category-delete"]').click();
    await row.locator('[data-testid="category-delete"]').click();
    await row.filter({ hasText: 'Archived' }).waitFor();
    await row.locator('[data-testid="category-restore"]').click();
    await row.filter({ hasText: 'Active' }).waitFor();
  });

  it('shows the admin area in Chinese', async () => {
    await admin.tid('language').selectOption('zh-CN');
    await admin.tid('tab-admin').click();
    const f = await section(admin.page, 'teams');
    await f.s.getByText('新建团队').waitFor();
    await f.row('team', 'Front desk').filter({ hasText: '一线' }).waitFor();
    await admin.tid('language').selectOption('en');
  });
});
