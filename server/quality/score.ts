/**
 * The arithmetic of a score, one place for the service, the report and the docs:
 * a criterion earns weight × points ÷ max; the conversation's score is the earned share
 * of all weights, 0–100 with one decimal; a criterion below its error mark is an error.
 */
import { InvalidInput } from '../domain/errors';
import type { Criterion, CriterionScore, QualityRubricDoc } from './model';

export interface CriterionInput {
  key: string;
  score?: number;
  comment?: string;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

export function weightedPct(rubric: Pick<QualityRubricDoc, 'criteria'>, scores: CriterionScore[]): number {
  const byKey = new Map(scores.map((s) => [s.key, s]));
  let earned = 0;
  let total = 0;
  for (const c of rubric.criteria) {
    total += c.weight;
    earned += (c.weight * (byKey.get(c.key)?.score ?? 0)) / c.max;
  }
  return total > 0 ? round1((earned / total) * 100) : 0;
}

export const isError = (c: Criterion, score: number) => score < c.errorBelow;

/**
 * The criteria scores of a rubric from what the supervisor gave, an automatic criterion
 * left out taking its suggestion. Every problem is named in one InvalidInput.
 */
export function scoreCriteria(
  rubric: QualityRubricDoc,
  given: CriterionInput[],
  suggested: Map<string, number>,
): CriterionScore[] {
  const problems: string[] = [];
  const byKey = new Map<string, CriterionInput>();
  for (const g of given) {
    if (byKey.has(g.key)) problems.push(`criteria.${g.key}: is given twice`);
    byKey.set(g.key, g);
  }
  for (const key of byKey.keys())
    if (!rubric.criteria.some((c) => c.key === key))
      problems.push(`criteria.${key}: is not a criterion of rubric version ${rubric.version}`);
  const out: CriterionScore[] = [];
  for (const c of rubric.criteria) {
    const g = byKey.get(c.key);
    const score = g?.score ?? (c.auto ? suggested.get(c.key) : undefined);
    if (score === undefined) {
      problems.push(`criteria.${c.key}: give a score`);
      continue;
    }
    if (!Number.isInteger(score) || score < 0 || score > c.max) {
      problems.push(
        `criteria.${c.key}: ${c.kind === 'pass_fail' ? 'must be 1 (pass) or 0 (fail)' : `must be a whole number from 0 to ${c.max}`}`,
      );
      continue;
    }
    out.push({ key: c.key, score, error: isError(c, score), comment: g?.comment?.trim() ?? '' });
  }
  if (problems.length > 0) throw new InvalidInput(problems.join('; '));
  return out;
}
