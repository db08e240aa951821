/** Steps the satisfaction suites share: an agent picks a conversation up and resolves it. */
import type { ConversationView } from '../../shared/protocol';
import type { SurveyDoc } from '../../server/csat/model';
import type { EventType } from '../../server/domain/event';
import { call, eventually, type AgentClient, type TestGateway } from '../harness/gateway';

export async function takeAndResolve(agent: AgentClient, conversationId: string): Promise<ConversationView> {
  const held = await call<ConversationView>(agent, 'conversation:take', { conversationId });
  expect(held.status).toBe('assigned');
  return call<ConversationView>(agent, 'conversation:resolve', { conversationId });
}

/** The survey of a conversation once it has been asked (the survey message stored). */
export async function surveyAsked(
  gw: Pick<TestGateway, 'models'>,
  conversationId: string,
): Promise<SurveyDoc> {
  await eventually(
    () => gw.models.Message.countDocuments({ conversationId, 'meta.survey.id': { $exists: true } }),
    (n) => n > 0,
    20_000,
  );
  const s = await gw.models.Survey.findOne({ conversationId }).sort({ resolvedAt: -1 }).lean<SurveyDoc>();
  if (!s) throw new Error('no survey');
  return s;
}

export async function eventsOf(gw: Pick<TestGateway, 'models'>, conversationId: string, type: EventType) {
  return gw.models.ConversationEvent.find({ conversationId, type }).sort({ at: 1, _id: 1 }).lean();
}
