/** Web chat: after a resolution the visitor gets one inline rating, answered once whatever the clicks and tabs. */
import type { MessageView, SurveyView } from '../../shared/protocol';
import {
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createDesk,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';
import { eventsOf, surveyAsked, takeAndResolve } from './steps';

const gw = suiteGateway();

async function resolvedChat() {
  const desk = await createDesk(gw);
  const agent = await desk.agent({ role: 'supervisor' });
  const agentSocket = await connectAgent(gw.url, agent.token);
  const session = await openVisitorSession(gw.url, desk.inbox.key, { name: 'Vera' });
  const visitor = await connectVisitor(gw.url, session.token);
  const sent = await call<MessageView>(visitor, 'message:send', {
    clientId: 'c-1',
    text: 'Where is my parcel?',
  });
  const asked = nextEvent<SurveyView>(visitor, 'survey:request');
  await takeAndResolve(agentSocket, sent.conversationId);
  return { desk, agentSocket, session, visitor, conversationId: sent.conversationId, asked: await asked };
}

describe('web chat satisfaction survey', () => {
  it('asks once per resolution, inline, in the visitor’s conversation', async () => {
    const { visitor, agentSocket, conversationId, asked } = await resolvedChat();
    expect(asked).toMatchObject({ conversationId, rating: null, comment: null });
    expect(asked.question).toMatch(/1 is poor, 5 is excellent/);
    const survey = await surveyAsked(gw, conversationId);
    expect(survey.channel).toBe('webchat');
    expect(await gw.models.Survey.countDocuments({ conversationId })).toBe(1);
    expect(await eventsOf(gw, conversationId, 'csat.requested')).toHaveLength(1);
    const messages = await gw.models.Message.find({ conversationId, automatic: true }).lean();
    expect(messages).toHaveLength(1);
    // Resolving again (already resolved) asks nothing more.
    await call(agentSocket, 'conversation:resolve', { conversationId });
    expect(await gw.models.Survey.countDocuments({ conversationId })).toBe(1);
    visitor.close();
    agentSocket.close();
  });

  it('stores a double click once, and a second tab’s different answer as a change', async () => {
    const { visitor, agentSocket, session, conversationId, asked } = await resolvedChat();
    const tab2 = await connectVisitor(gw.url, session.token);
    const seenInTab2 = nextEvent<SurveyView>(tab2, 'survey:request', (s) => s.rating === 4);
    const updated = nextEvent<{ id: string; csat: { rating: number } | null }>(
      agentSocket,
      'conversation:updated',
      (c) => c.id === conversationId && c.csat?.rating === 4,
    );
    const clicks = await Promise.all([
      call<SurveyView>(visitor, 'survey:answer', { surveyId: asked.surveyId, rating: 4 }),
      call<SurveyView>(visitor, 'survey:answer', { surveyId: asked.surveyId, rating: 4 }),
    ]);
    expect(clicks.map((c) => c.rating)).toEqual([4, 4]);
    expect((await seenInTab2).rating).toBe(4);
    expect((await updated).csat).toMatchObject({ rating: 4 });
    expect(await eventsOf(gw, conversationId, 'csat.answered')).toHaveLength(1);
    expect(await eventsOf(gw, conversationId, 'csat.changed')).toHaveLength(0);

    await call(tab2, 'survey:answer', { surveyId: asked.surveyId, rating: 2, comment: 'Took too long' });
    const changed = await eventsOf(gw, conversationId, 'csat.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.data).toMatchObject({
      old: { rating: 4, comment: null },
      new: { rating: 2, comment: 'Took too long' },
    });
    const survey = await gw.models.Survey.findById(asked.surveyId).lean();
    expect(survey).toMatchObject({ rating: 2, comment: 'Took too long', satisfied: false });
    expect(await gw.models.Survey.countDocuments({ conversationId })).toBe(1);
    visitor.close();
    tab2.close();
    agentSocket.close();
  });

  it('shows the rating again after a reload while unanswered, and not once answered', async () => {
    const { visitor, agentSocket, session, desk, asked } = await resolvedChat();
    visitor.close();
    const resumed = await openVisitorSession(gw.url, desk.inbox.key, { token: session.token });
    const again = await connectVisitor(gw.url, resumed.token);
    expect(await call<SurveyView | null>(again, 'survey:get', {})).toMatchObject({
      surveyId: asked.surveyId,
    });
    await call(again, 'survey:answer', { surveyId: asked.surveyId, rating: 5 });
    expect(await call<SurveyView | null>(again, 'survey:get', {})).toBeNull();
    again.close();
    agentSocket.close();
  });

  it('refuses an answer to someone else’s survey and a rating outside 1–5', async () => {
    const { visitor, agentSocket, desk, asked } = await resolvedChat();
    const stranger = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
    const foreign = await callRaw(stranger, 'survey:answer', { surveyId: asked.surveyId, rating: 1 });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const wrong = await callRaw(visitor, 'survey:answer', { surveyId: asked.surveyId, rating: 6 });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await gw.models.Survey.findById(asked.surveyId).lean())?.rating).toBeNull();
    stranger.close();
    visitor.close();
    agentSocket.close();
  });
});
