/**
 * Timeliness from the clocks: the share of a conversation's measured clocks that met their
 * target, any breach failing a pass/fail criterion. It pre-fills (and, left out, scores)
 * criteria marked `auto: timeliness`.
 */
import type { Models } from '../domain/models';
import type { QualityRubricDoc } from './model';

export interface Timeliness {
  clocks: number;
  met: number;
  breaches: number;
}

export async function timelinessOf(models: Models, conversationId: string): Promise<Timeliness> {
  const [measured, breaches] = await Promise.all([
    models.SlaMeasurement.find({ conversationId }, { met: 1 }).lean(),
    models.ConversationEvent.countDocuments({ conversationId, type: 'sla.breached' }),
  ]);
  return { clocks: measured.length, met: measured.filter((m) => m.met).length, breaches };
}

/** Suggested points per automatic criterion of the rubric. */
export function suggestions(rubric: QualityRubricDoc, t: Timeliness): Map<string, number> {
  const out = new Map<string, number>();
  const share = t.clocks > 0 ? t.met / t.clocks : t.breaches > 0 ? 0 : 1;
  for (const c of rubric.criteria) {
    if (c.auto !== 'timeliness') continue;
    out.set(
      c.key,
      c.kind === 'pass_fail' ? (t.breaches === 0 && share === 1 ? 1 : 0) : Math.round(c.max * share),
    );
  }
  return out;
}
