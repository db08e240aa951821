/**
 * Complaints and follow-ups in the console: the agent sees the complaint's deadlines,
 * records the solution, marks the customer's reply as acceptance, then completes the
 * complaint's follow-up from "My follow-ups" with its outcome.
 */
import type { MessageView } from '../../shared/protocol';
import {
  api,
  call,
  connectVisitor,
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
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('a complaint in the console', () => {
  it('records the solution, marks acceptance and completes the follow-up', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent({ name: 'Ana Agent' });
    const ana = new ConsolePage(await browser.context.newPage(), gw.url);
    await ana.login(a.email, a.password);

    const session = await openVisitorSession(gw.url, desk.inbox.key, { name: 'Carl Customer' });
    const visitor = await connectVisitor(gw.url, session.token);
    const send = (text: string) => call<MessageView>(visitor, 'message:send', { clientId: text, text });
    const { conversationId } = await send('I want to make a complaint about my order');
    await ana.tid('offer-accept').click();
    await ana.history('I want to make a complaint').waitFor();

    await ana.tid('complaint').waitFor({ state: 'visible' });
    await ana.tid('countdown-complaint_solution').and(ana.page.locator('[data-due]')).waitFor();
    await ana.tid('countdown-complaint_acknowledgement').and(ana.page.locator('[data-due]')).waitFor();

    const solutionSeen = nextEvent<MessageView>(
      visitor,
      'message',
      (m) => m.text === 'We refund the order in full.',
    );
    await ana.tid('solution-text').fill('We refund the order in full.');
    await ana.tid('record-solution').click();
    await ana.tid('solution').filter({ hasText: 'We refund the order in full.' }).waitFor();
    await solutionSeen;
    await ana.tid('countdown-complaint_follow_up').and(ana.page.locator('[data-due]')).waitFor();

    await send('Thank you, that is fine.');
    const accept = ana
      .tid('history-message')
      .filter({ hasText: 'Thank you, that is fine.' })
      .locator('[data-testid="mark-acceptance"]');
    await accept.click();
    await ana.tid('accepted-mark').waitFor();
    await ana.tid('conversation-status').filter({ hasText: 'Resolved' }).waitFor();
    await screenshot(ana.page, 'complaint-accepted');

    const conv0 = (await gw.models.Conversation.findById(conversationId).lean())!;
    await ana.tid('tab-followups').click();
    // The first conversation of a new customer made a task too; this is the complaint's.
    await ana.tid('followup').filter({ hasText: 'New customer' }).waitFor();
    const task = ana.tid('followup').filter({ hasText: 'Carl Customer' }).filter({ hasText: 'Complaint' });
    await task.locator('[data-testid="followup-complete"]').click();
    await task.locator('[data-testid="outcome-note"]').fill('Called back; happy with the refund.');
    // Another task changes meanwhile (done from elsewhere): the list is drawn again, and the
    // open form keeps what was typed in it.
    const other = await gw.models.FollowUpTask.findOne({
      contactId: conv0.contactId,
      reason: 'new_customer',
    }).lean();
    const elsewhere = await api(gw.url, a.token, 'POST', `/followups/${String(other!._id)}/complete`, {
      reached: true,
    });
    expect(elsewhere.status).toBe(200);
    await ana.tid('followup').filter({ hasText: 'New customer' }).waitFor({ state: 'detached' });
    expect(await task.locator('[data-testid="outcome-note"]').inputValue()).toBe(
      'Called back; happy with the refund.',
    );
    await task.locator('[data-testid="outcome-save"]').click();
    await task.waitFor({ state: 'detached' });

    const done = await eventually(
      () => gw.models.FollowUpTask.findOne({ conversationId, reason: 'complaint' }).lean(),
      (t) => t?.status === 'done',
    );
    expect(done?.outcome).toMatchObject({
      reached: true,
      satisfied: true,
      note: 'Called back; happy with the refund.',
    });
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    expect(conv?.clocks?.complaint_follow_up ?? null).toBeNull();
    visitor.close();
    await ana.page.close();
  });
});
