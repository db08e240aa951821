/** The widget's inline rating: a survey as the visitor sees it, and how one is put to them. */
import type { SurveyView } from '../../shared/protocol';
import type { SurveyState } from '../../server/domain/channel';

export const surveyView = (s: Omit<SurveyState, 'locale'>): SurveyView => ({
  surveyId: s.surveyId,
  conversationId: s.conversationId,
  question: s.question,
  rating: s.rating,
  comment: s.comment,
  expiresAt: s.expiresAt.toISOString(),
});
