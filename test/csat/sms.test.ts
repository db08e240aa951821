/**
 * SMS: after a resolution the customer gets one "reply 1–5" text; their digit reply is the
 * answer (stored once, even when Twilio retries the webhook) and opens no conversation.
 * A customer who texted STOP gets no survey.
 */
import { eventually } from '../harness/gateway';
import {
  conversationFrom,
  conversationsOf,
  incoming,
  smsInbox,
  smsSuite,
  textIn,
} from '../channels/sms/desk';
import { eventsOf, surveyAsked, takeAndResolve } from './steps';

const s = smsSuite();

async function resolvedText(from: string) {
  const inbox = await smsInbox(s, { sendRate: 50 });
  const c = await conversationFrom(s, inbox, from, 'My bill is wrong');
  await takeAndResolve(c.socket, c.conversationId);
  return { inbox, ...c };
}

describe('SMS satisfaction survey', () => {
  it('texts the question once and takes a digit reply as the answer, even when Twilio retries it', async () => {
    const { inbox, conversationId, socket } = await resolvedText('+14155550301');
    const survey = await surveyAsked(s.gw(), conversationId);
    const text = await eventually(
      async () =>
        s.standin.sends.filter((m) => m.to === '+14155550301' && /Reply with a number/.test(m.body)),
      (l) => l.length > 0,
      20_000,
    );
    expect(text).toHaveLength(1);

    const reply = incoming(s, inbox, {
      from: '+14155550301',
      body: '4 quick and friendly',
      messageSid: `SM${'7'.repeat(32)}`,
    });
    expect((await reply.post()).status).toBe(200);
    expect((await reply.post()).status).toBe(200); // Twilio's retry of the same MessageSid
    const answered = await eventsOf(s.gw(), conversationId, 'csat.answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]?.data).toMatchObject({ rating: 4, comment: 'quick and friendly', satisfied: true });
    expect(await eventsOf(s.gw(), conversationId, 'csat.changed')).toHaveLength(0);
    expect(await s.gw().models.Survey.findById(survey._id).lean()).toMatchObject({
      rating: 4,
      satisfied: true,
    });

    // No new conversation, the resolved one stays resolved, nothing waits in the queue.
    const convs = await conversationsOf(s, inbox.id);
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ status: 'resolved' });
    expect(await eventsOf(s.gw(), conversationId, 'conversation.reopened')).toHaveLength(0);
    const kept = await s.gw().models.Message.find({ conversationId, text: '4 quick and friendly' }).lean();
    expect(kept).toHaveLength(1);

    // A second digit is a change of mind, recorded with old and new.
    expect((await textIn(s, inbox, { from: '+14155550301', body: '5' })).status).toBe(200);
    const changed = await eventsOf(s.gw(), conversationId, 'csat.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.data).toMatchObject({
      old: { rating: 4 },
      new: { rating: 5, comment: 'quick and friendly' },
    });
    expect(await conversationsOf(s, inbox.id)).toHaveLength(1);
    socket.close();
  });

  it('treats anything but a leading digit 1–5 as a new message', async () => {
    const { inbox, conversationId, socket } = await resolvedText('+14155550302');
    await surveyAsked(s.gw(), conversationId);
    expect((await textIn(s, inbox, { from: '+14155550302', body: '3pm tomorrow works' })).status).toBe(200);
    expect(await eventsOf(s.gw(), conversationId, 'csat.answered')).toHaveLength(0);
    expect(await eventsOf(s.gw(), conversationId, 'conversation.reopened')).toHaveLength(1);
    socket.close();
  });

  it('sends no survey to a customer who texted STOP', async () => {
    const inbox = await smsInbox(s, { sendRate: 50 });
    const c = await conversationFrom(s, inbox, '+14155550303', 'Hi');
    expect((await textIn(s, inbox, { from: '+14155550303', body: 'STOP' })).status).toBe(200);
    await takeAndResolve(c.socket, c.conversationId);
    // Asking again decides as the asking the resolution set off did: nothing is owed.
    expect(await s.gw().app.csat.asker.ask(c.conversationId, null)).toBeNull();
    expect(await s.gw().models.Survey.countDocuments({ conversationId: c.conversationId })).toBe(0);
    expect(await eventsOf(s.gw(), c.conversationId, 'csat.requested')).toHaveLength(0);
    c.socket.close();
  });
});
