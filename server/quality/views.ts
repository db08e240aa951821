/** Quality records as REST clients see them (shared/quality.ts). */
import type { RubricView, SampleView, ScoreView } from '../../shared/quality';
import type { QualityRubricDoc, QualitySampleDoc, QualityScoreDoc } from './model';

const id = (x: { toString(): string } | null | undefined) => (x ? String(x) : null);

export function rubricView(r: QualityRubricDoc): RubricView {
  return {
    version: r.version,
    name: r.name,
    criteria: r.criteria.map((c) => ({
      key: c.key,
      label: { en: c.label.en, zh: c.label.zh },
      weight: c.weight,
      kind: c.kind,
      max: c.max,
      errorBelow: c.errorBelow,
      auto: c.auto ?? null,
    })),
    createdBy: id(r.createdBy),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export function scoreView(s: QualityScoreDoc): ScoreView {
  return {
    id: String(s._id),
    sampleId: String(s.sampleId),
    conversationId: String(s.conversationId),
    agentId: id(s.agentId),
    teamId: id(s.teamId),
    revision: s.revision,
    rubricVersion: s.rubricVersion,
    criteria: s.criteria.map((c) => ({ key: c.key, score: c.score, error: c.error, comment: c.comment })),
    comment: s.comment,
    scorePct: s.scorePct,
    errors: s.errorCount,
    current: s.current,
    reason: s.reason,
    scoredBy: String(s.scoredBy),
    scoredAt: new Date(s.scoredAt).toISOString(),
  };
}

export function sampleView(
  s: QualitySampleDoc,
  score: QualityScoreDoc | null,
  label: string | null,
): SampleView {
  return {
    id: String(s._id),
    conversationId: String(s.conversationId),
    agentId: id(s.agentId),
    teamId: id(s.teamId),
    resolvedAt: new Date(s.resolvedAt).toISOString(),
    week: s.week,
    reasons: s.reasons,
    drawnAt: new Date(s.drawnAt).toISOString(),
    status: s.status,
    revision: s.revision,
    score: score ? scoreView(score) : null,
    label,
  };
}
