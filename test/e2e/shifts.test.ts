/**
 * Shifts and handover in real browsers. A supervisor keeps the rota in the Shifts tab (the
 * server's reasons shown beside the fields); the agent on the running shift writes the
 * handover; when the shift ends the next shift's agent signs in to the handover with the
 * conversation still open and opens it; and only the agent on duty is offered new work.
 * Time is moved with the gateway's clock across a real shift boundary a day ahead.
 */
import type { Page } from 'playwright-core';
import {
  api,
  call,
  connectVisitor,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  type TestGateway,
  type VisitorClient,
} from '../harness/gateway';
import { dutyHour, hhmm, shiftClock } from '../harness/shifts';
import type { MessageView } from '../../shared/protocol';
import { ConsolePage, buildUi, openBrowser, page, screenshot } from './browser';

const HOUR = 3_600_000;
// The early shift ends and the late one starts at B.
const { B, now, moveTo } = shiftClock();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const until = (ms: number) => (hhmm(ms) === '00:00' ? '24:00' : hhmm(ms));

type Opened = Awaited<ReturnType<typeof openBrowser>>;
let gw: TestGateway;
const browsers: Opened[] = [];
const visitors: VisitorClient[] = [];

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({
    env: { OFFER_TIMEOUT_MS: '60000', SHIFT_CHECK_INTERVAL_MS: '200' },
    now,
  });
}, 90_000);
afterAll(async () => {
  visitors.forEach((v) => v.close());
  await Promise.all(browsers.map((b) => b.close()));
  await gw?.close();
});

async function consoleFor(): Promise<ConsolePage> {
  const b = await openBrowser();
  browsers.push(b);
  return new ConsolePage(await page(b.context), gw.url);
}

/** Signs in whatever presence the shift gives (the harness's login waits for online). */
async function signIn(c: ConsolePage, who: { email: string; password: string }, presence: string) {
  await c.page.goto(`${gw.url}/console/`);
  await c.tid('login-email').fill(who.email);
  await c.tid('login-password').fill(who.password);
  await c.tid('login-submit').click();
  await c.page.locator(`[data-testid="me"][data-presence="${presence}"]`).waitFor();
}

async function customerWrites(inboxKey: string, text: string): Promise<string> {
  const v = await connectVisitor(gw.url, (await openVisitorSession(gw.url, inboxKey)).token);
  visitors.push(v);
  return (await call<MessageView>(v, 'message:send', { clientId: `c-${visitors.length}`, text }))
    .conversationId;
}

const field = (p: Page, path: string) =>
  p.locator(`[data-testid="shift-form"] [data-testid="field-${path}"]`);
const error = (p: Page, path: string) =>
  p.locator(`[data-testid="shift-form"] [data-testid="error-${path}"]`);

describe('shifts and handover in the console', () => {
  it('keeps the rota, hands over at the shift change, and offers work only to the agent on duty', async () => {
    const desk = await createDesk(gw);
    const teamId = String(desk.team._id);
    const early = await desk.agent({ name: 'Ella Early' });
    const late = await desk.agent({ name: 'Liam Late' });
    const lead = await desk.agent({ role: 'supervisor', name: 'Sue Lead', capacity: 0 });

    // The supervisor creates the early shift; the server's reasons show beside the fields.
    const sue = await consoleFor();
    await sue.login(lead.email, lead.password);
    await sue.tid('tab-shifts').click();
    const rota = sue.tid('admin-shifts');
    await rota.waitFor();
    await sue.tid('new-shifts').click();
    await field(sue.page, 'name').fill('Early');
    await field(sue.page, 'teamId').selectOption(teamId);
    await sue.page.locator(`[data-testid="shift-agents-choice"] input[value="${early.id}"]`).check();
    await field(sue.page, 'timeZone').fill('UTC');
    await field(sue.page, 'weekly.1').fill('09:00-12:00, 11:00-13:00');
    await field(sue.page, 'dutyDays').fill(`${day(B - HOUR)} Holiday duty`);
    await sue.tid('shift-form').locator('[data-testid="form-submit"]').click();
    await error(sue.page, 'weekly.1').filter({ hasText: 'must not overlap' }).waitFor();
    await error(sue.page, 'dutyDays').filter({ hasText: 'give the hours of every duty date' }).waitFor();
    expect(await gw.models.Shift.countDocuments({ teamId })).toBe(0);

    await field(sue.page, 'weekly.1').fill('');
    await field(sue.page, 'dutyDays').fill(`${day(B - HOUR)} ${hhmm(B - HOUR)}-${until(B)} Holiday duty`);
    await sue.tid('shift-form').locator('[data-testid="form-submit"]').click();
    const row = rota.locator('[data-testid="shift-row"]', { hasText: 'Early' });
    await row.locator('[data-testid="shift-status"][data-running="true"]').waitFor();
    expect(await row.locator('[data-testid="shift-agents"]').textContent()).toBe('Ella Early');
    const earlyShift = await gw.models.Shift.findOne({ teamId, name: 'Early' }).lean();
    expect(earlyShift).toMatchObject({
      timeZone: 'UTC',
      dutyDays: [dutyHour(B - HOUR)].map((d) => ({ ...d, name: 'Holiday duty' })),
    });
    expect(earlyShift!.agentIds.map(String)).toEqual([early.id]);

    const made = await api(gw.url, lead.token, 'POST', '/shifts', {
      teamId,
      name: 'Late',
      agentIds: [late.id],
      timeZone: 'UTC',
      dutyDays: [dutyHour(B), dutyHour(B + 24 * HOUR)],
    });
    expect(made.status).toBe(201);
    await sue.tid('shifts-team').selectOption(teamId);
    await rota
      .locator('[data-testid="shift-row"]', { hasText: 'Late' })
      .locator('[data-testid="shift-status"][data-running="false"]', { hasText: 'Next starts' })
      .waitFor();
    await screenshot(sue.page, 'shifts-rota', true);

    // On shift, Ella signs in online and writes the handover for the next shift.
    const ella = await consoleFor();
    await ella.login(early.email, early.password);
    await ella.tid('tab-shifts').click();
    await ella.tid('shifts-duty').and(ella.page.locator('[data-on-duty="true"]')).waitFor();
    const mine = ella.tid('my-shift').filter({ hasText: 'Early' });
    await mine.locator('[data-testid="shift-status"][data-running="true"]').waitFor();
    const note = 'The parcel customer is waiting for the courier: call them back before noon.';
    await mine.locator('[data-testid="handover-note-input"]').fill(note);
    await mine.locator('[data-testid="handover-save"]').click();
    await mine.locator('[data-testid="handover-saved"]').filter({ hasText: 'Handover saved at' }).waitFor();

    // Off shift, Liam signs in away; even online he is offered nothing while Ella is.
    const liam = await consoleFor();
    await signIn(liam, late, 'away');
    await liam.tid('tab-shifts').click();
    await liam.tid('shifts-duty').and(liam.page.locator('[data-on-duty="false"]')).waitFor();
    await liam.tid('my-shift').filter({ hasText: 'Late' }).getByText('Next starts').waitFor();
    await liam.tid('presence').selectOption('online');
    await liam.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    await liam.tid('tab-work').click();
    await ella.tid('tab-work').click();
    const parcel = await customerWrites(desk.inbox.key, 'Where is my parcel?');
    await ella.offer(parcel).locator('[data-testid="offer-accept"]').click();
    await ella.history('Where is my parcel?').waitFor();
    expect(await liam.tid('offer').count()).toBe(0);
    const contactId = String((await gw.models.Conversation.findById(parcel).lean())!.contactId);
    const task = await api<{ followup: { id: string } }>(gw.url, early.token, 'POST', '/followups', {
      contactId,
      dueAt: new Date(B + 2 * HOUR).toISOString(),
      note: 'Call back about the parcel',
    });
    expect(task.status).toBe(201);

    // The shift ends: Ella goes away and the early shift's work is passed on.
    moveTo(B + 2000);
    await ella.page.locator('[data-testid="me"][data-presence="away"]').waitFor();
    await eventually(
      () => gw.models.Handover.findOne({ shiftId: earlyShift!._id }).lean(),
      (h) => Boolean(h?.handedOverAt),
    );

    // Liam signs in to the handover: the note, who wrote it, the open conversation and the follow-up.
    await liam.tid('sign-out').click();
    await signIn(liam, late, 'online');
    const handover = liam.tid('handover');
    await handover.waitFor();
    expect(await handover.locator('h2').textContent()).toBe('Handover from Early');
    expect(await handover.locator('[data-testid="handover-note"]').textContent()).toBe(note);
    expect(await handover.locator('[data-testid="handover-by"]').textContent()).toMatch(
      /^Written by Ella Early, /,
    );
    const passed = handover.locator('[data-testid="handover-conversation"]');
    expect(await passed.evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation-id')))).toEqual(
      [parcel],
    );
    const due = handover.locator('[data-testid="handover-followup"]');
    expect(await due.getAttribute('data-id')).toBe(task.body.followup.id);
    expect(await due.textContent()).toContain('Call back about the parcel');
    await screenshot(liam.page, 'shifts-handover', true);
    await passed.click();
    await liam.history('Where is my parcel?').waitFor();

    // Now Liam is offered the new work, and Ella, off shift, is not even when online.
    await ella.tid('presence').selectOption('online');
    await ella.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    const hello = await customerWrites(desk.inbox.key, 'Hello, is anyone there?');
    await liam.offer(hello).waitFor();
    expect(await ella.tid('offer').count()).toBe(0);

    // Dismissed, the handover stays away after a reload.
    await handover.locator('[data-testid="handover-dismiss"]').click();
    await handover.waitFor({ state: 'hidden' });
    await liam.page.reload();
    await liam.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    await liam.tid('tab-shifts').click();
    await liam.tid('shifts-duty').and(liam.page.locator('[data-on-duty="true"]')).waitFor();
    expect(await handover.isVisible()).toBe(false);
  }, 120_000);

  it('keeps the rota in Chinese: creates and edits a shift with weekly hours, days off and holiday duty', async () => {
    const desk = await createDesk(gw);
    const teamId = String(desk.team._id);
    await gw.models.Team.updateOne({ _id: teamId }, { $set: { name: '售前一组' } });
    const li = await desk.agent({ name: '李娜' });
    const lead = await desk.agent({ role: 'supervisor', name: '周主管', capacity: 0 });
    const c = await consoleFor();
    await c.login(lead.email, lead.password);
    await c.tid('language').selectOption('zh-CN');
    await c.tid('tab-shifts').filter({ hasText: '排班' }).click();
    await c.tid('shifts-duty').filter({ hasText: '您没有排班，在线即可接待。' }).waitFor();
    await c.tid('admin-shifts').locator('h3', { hasText: '排班表' }).waitFor();
    await c.tid('shifts-team').selectOption(teamId);
    await c.tid('new-shifts').filter({ hasText: '新建班次' }).click();
    await c.tid('shift-form').locator('[data-testid="form-submit"]').click();
    await error(c.page, 'name').filter({ hasText: '必填' }).waitFor();

    await field(c.page, 'name').fill('白班');
    await c.page.locator(`[data-testid="shift-agents-choice"] input[value="${li.id}"]`).check();
    await field(c.page, 'timeZone').fill('Asia/Shanghai');
    for (const d of ['1', '2', '3', '4', '5']) await field(c.page, `weekly.${d}`).fill('09:00-18:00');
    await field(c.page, 'offDays').fill('2026-10-01 国庆节');
    await field(c.page, 'dutyDays').fill('2026-10-03 10:00-16:00 国庆值班');
    await c.tid('shift-form').locator('[data-testid="form-submit"]').click();
    const row = c.tid('shift-row').filter({ hasText: '白班' });
    await row.filter({ hasText: '节假日值班 2026-10-03 10:00-16:00 国庆值班' }).waitFor();
    expect(await row.locator('[data-testid="shift-agents"]').textContent()).toBe('李娜');
    expect(await row.textContent()).toContain('周一 09:00-18:00');
    expect(await row.locator('[data-testid="shift-status"]').textContent()).toMatch(/^(进行中|下次上班)/);
    const saved = await gw.models.Shift.findOne({ teamId, name: '白班' }).lean();
    expect(saved).toMatchObject({
      timeZone: 'Asia/Shanghai',
      offDays: [{ date: '2026-10-01', name: '国庆节' }],
      dutyDays: [{ date: '2026-10-03', name: '国庆值班', hours: [{ open: '10:00', close: '16:00' }] }],
    });

    // Editing keeps the team and changes the hours.
    await row.locator('[data-testid="shift-edit"]').click();
    expect(await field(c.page, 'teamId').isDisabled()).toBe(true);
    await field(c.page, 'weekly.6').fill('10:00-15:00');
    await c.tid('shift-form').locator('[data-testid="form-submit"]').click();
    await row.filter({ hasText: '周六 10:00-15:00' }).waitFor();
    expect((await gw.models.Shift.findById(saved!._id).lean())?.weekly['6']).toEqual([
      { open: '10:00', close: '15:00' },
    ]);
    await c.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(c.page, 'shifts-zh', true);
  }, 60_000);

  it('shows the handover to an agent signed in before their shift when it starts', async () => {
    // The clock stands just after B: one shift runs until B + 1 h, the next starts then.
    const desk = await createDesk(gw);
    const teamId = String(desk.team._id);
    const before = await desk.agent({ name: 'Bo Before' });
    const after = await desk.agent({ name: 'Ann After' });
    const lead = await desk.agent({ role: 'supervisor', capacity: 0 });
    for (const [name, agent, start] of [
      ['Morning', before, B],
      ['Noon', after, B + HOUR],
    ] as const) {
      const r = await api(gw.url, lead.token, 'POST', '/shifts', {
        teamId,
        name,
        agentIds: [agent.id],
        timeZone: 'UTC',
        dutyDays: [dutyHour(start)],
      });
      expect(r.status).toBe(201);
    }
    const ann = await consoleFor();
    await signIn(ann, after, 'away');
    await ann.tid('tab-shifts').click();
    await ann.tid('shifts-duty').and(ann.page.locator('[data-on-duty="false"]')).waitFor();
    expect(await ann.tid('handover').isVisible()).toBe(false);

    moveTo(B + HOUR + 2000);
    await ann.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
    const handover = ann.tid('handover');
    await handover.waitFor();
    expect(await handover.locator('h2').textContent()).toBe('Handover from Morning');
    expect(await handover.locator('[data-testid="handover-note"]').textContent()).toBe('No note was left.');
    await handover.getByText('Everything passed on has been dealt with.').waitFor();
  }, 60_000);
});
