/**
 * Email: after a resolution the customer gets one email with a signed link to a rating
 * page (a plain form, in a real browser); answering twice stores one answer; a forged or
 * expired link is refused with a page that says so; machine mail gets no survey.
 */
import { ratingToken } from '../../server/csat/token';
import { call, eventually, suiteGateway, TEST_SECRET, type AgentClient } from '../harness/gateway';
import {
  emailDesk,
  fixture,
  openThread,
  storedEmail,
  suiteMailServers,
  unique,
} from '../channels/email/mail-servers';
import { openBrowser, page } from '../e2e/browser';
import { eventsOf, surveyAsked } from './steps';

let browser: Awaited<ReturnType<typeof openBrowser>>;
// Declared first so that the browser (with its keep-alive connections) goes before the gateway stops.
beforeAll(async () => {
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
const servers = suiteMailServers();
const gw = suiteGateway();
let agent: AgentClient;

beforeAll(async () => {
  ({ agent } = await emailDesk(gw, servers));
});
afterAll(() => agent.close());

it('emails one rating link after a resolution, and the page records one answer however often it is sent', async () => {
  const t = await openThread(gw, servers, agent, 'Cracked screen');
  await call(agent, 'conversation:resolve', { conversationId: t.conversationId });
  const mail = await servers.smtp.next(
    (r) => r.envelope.to.includes(t.from) && /csat/.test(r.mail.text ?? ''),
    30_000,
  );
  expect(mail.mail.text).toMatch(/rate the help you received/);
  const link = /(http:\/\/\S+\/csat\/[A-Za-z0-9_-]+)/.exec(mail.mail.text ?? '')?.[1];
  expect(link).toBeDefined();
  const survey = await surveyAsked(gw, t.conversationId);
  expect(
    await gw.models.Message.countDocuments({
      conversationId: t.conversationId,
      'meta.survey.id': String(survey._id),
    }),
  ).toBe(1);

  const tab = await page(browser.context);
  const shown = await tab.goto(link!);
  expect(shown?.status()).toBe(200);
  expect(shown?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
  // The page has no script at all: the form posts as plain HTML.
  expect(await tab.locator('script').count()).toBe(0);
  await tab.getByLabel('4 – Very good').check();
  await tab.getByLabel(/Anything you would like to tell us/).fill('Fast replacement, thank you');
  await tab.getByRole('button', { name: 'Send my rating' }).click();
  await tab.getByText('Thank you! Your rating has been recorded.').waitFor();

  // The same form sent again (a double click, a second tab) changes nothing.
  const again = await fetch(link!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'rating=4&comment=Fast+replacement%2C+thank+you',
  });
  expect(again.status).toBe(200);
  expect(await eventsOf(gw, t.conversationId, 'csat.answered')).toHaveLength(1);
  expect(await eventsOf(gw, t.conversationId, 'csat.changed')).toHaveLength(0);
  expect(await gw.models.Survey.findById(survey._id).lean()).toMatchObject({
    rating: 4,
    comment: 'Fast replacement, thank you',
    satisfied: true,
  });

  // Coming back later shows the answer, and a different one is a change.
  await tab.goto(link!);
  expect(await tab.getByLabel('4 – Very good').isChecked()).toBe(true);
  await tab.getByLabel('5 – Excellent').check();
  await tab.getByRole('button', { name: 'Send my rating' }).click();
  await tab.getByText('Thank you! Your rating has been updated.').waitFor();
  expect(await eventsOf(gw, t.conversationId, 'csat.changed')).toHaveLength(1);
  await tab.close();
});

it('refuses a forged link and an expired one with a page that says so', async () => {
  const t = await openThread(gw, servers, agent, 'Late parcel');
  await call(agent, 'conversation:resolve', { conversationId: t.conversationId });
  const survey = await surveyAsked(gw, t.conversationId);
  const tab = await page(browser.context);

  const forged = ratingToken('another-secret-that-is-long-enough-000000000', {
    conversationId: t.conversationId,
    resolvedAt: survey.resolvedAt,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  const r1 = await tab.goto(`${gw.url}/csat/${forged}`);
  expect(r1?.status()).toBe(404);
  await tab.getByText('This rating link is not valid.', { exact: false }).waitFor();
  const tampered = await fetch(`${gw.url}/csat/${forged}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'rating=1',
  });
  expect(tampered.status).toBe(404);

  const expired = ratingToken(TEST_SECRET, {
    conversationId: t.conversationId,
    resolvedAt: survey.resolvedAt,
    expiresAt: new Date(Date.now() - 1000),
  });
  const r2 = await tab.goto(`${gw.url}/csat/${expired}`);
  expect(r2?.status()).toBe(410);
  await tab.getByText('This rating link has expired.', { exact: false }).waitFor();
  expect((await gw.models.Survey.findById(survey._id).lean())?.rating).toBeNull();
  await tab.close();
});

it('asks nothing about machine mail', async () => {
  const messageId = `${unique()}@mailer.example`;
  await servers.dovecot.deliver(
    fixture('auto-reply.eml', {
      subject: 'Your order',
      messageId,
      from: `robot-${unique()}@mailer.example`,
      inReplyTo: '<nothing@here>',
    }),
  );
  const stored = await storedEmail(gw, messageId);
  const conversationId = String(stored.conversationId);
  await eventually(
    () => gw.models.Conversation.findById(conversationId).lean(),
    (c) => c?.status === 'resolved',
  );
  expect(await gw.app.csat.asker.ask(conversationId, null)).toBeNull();
  expect(await gw.models.Survey.countDocuments({ conversationId })).toBe(0);
});
