/**
 * The quality-inspection views of the REST API (docs/api.md §18), shared by the server
 * and the console. Types only.
 */
import type { ConversationView, MessageView } from './protocol';

export type CriterionKindView = 'scale' | 'pass_fail';
export type SampleReasonView = 'share' | 'breached' | 'low_rating';

export interface CriterionView {
  key: string;
  label: { en: string; zh: string };
  weight: number;
  kind: CriterionKindView;
  max: number;
  errorBelow: number;
  auto: 'timeliness' | null;
}

export interface RubricView {
  version: number;
  name: string;
  criteria: CriterionView[];
  createdBy: string | null;
  createdAt: string;
}

export interface CriterionScoreView {
  key: string;
  score: number;
  error: boolean;
  comment: string;
}

export interface ScoreView {
  id: string;
  sampleId: string;
  conversationId: string;
  agentId: string | null;
  teamId: string | null;
  revision: number;
  rubricVersion: number;
  criteria: CriterionScoreView[];
  comment: string;
  scorePct: number;
  errors: number;
  current: boolean;
  reason: string | null;
  scoredBy: string;
  scoredAt: string;
}

export interface SampleView {
  id: string;
  conversationId: string;
  agentId: string | null;
  teamId: string | null;
  resolvedAt: string;
  week: string;
  reasons: SampleReasonView[];
  drawnAt: string;
  status: 'pending' | 'scored';
  revision: number;
  /** The current score, when scored. */
  score: ScoreView | null;
  /** `#number name` of the conversation, for lists. */
  label: string | null;
}

export interface InspectionView {
  sample: SampleView;
  conversation: ConversationView;
  messages: MessageView[];
  /** The rubric to score against: the one of the latest score, else the current one (null when none is defined). */
  rubric: RubricView | null;
  /** Points pre-filled from the clocks, per automatic criterion. */
  suggested: Record<string, number>;
  /** Every revision, newest first. */
  scores: ScoreView[];
}

export interface QualityRowView {
  group: string | null;
  name: string | null;
  period: string | null;
  inspected: number;
  inError: number;
  errors: number;
  errorRatePct: number | null;
  scorePct: number | null;
}
