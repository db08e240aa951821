/**
 * The rubric an admin defines: weighted criteria, each scored 0..max or pass/fail and an
 * error when failed (or below its error mark). Saving makes a new version; the versions
 * scored against stay as they were.
 */
import { Types } from 'mongoose';
import { z } from 'zod';
import { Conflict } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { AUTO_SOURCES, CRITERION_KINDS, type QualityRubricDoc } from './model';

const label = z.string().trim().min(1, 'write a label').max(120);
const CriterionInput = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits or _, starting with a letter'),
    label: z.object({ en: label, zh: label }).strict(),
    weight: z.number().positive('must be above 0').max(100),
    kind: z.enum(CRITERION_KINDS),
    max: z.number().int().min(1).max(100).optional(),
    errorBelow: z.number().int().min(0).max(100).optional(),
    auto: z.enum(AUTO_SOURCES).nullable().optional(),
  })
  .strict();

export const RubricInput = z
  .object({
    name: z.string().trim().min(1, 'name the rubric').max(120),
    criteria: z.array(CriterionInput).min(1, 'add at least one criterion').max(30),
    /** The version this edit starts from; a rubric saved meanwhile by someone else is a conflict. */
    basedOn: z.number().int().min(0).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.criteria.forEach((c, i) => {
      if (seen.has(c.key))
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: 'is used twice' });
      seen.add(c.key);
      if (c.kind === 'pass_fail' && c.max !== undefined && c.max !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'max'],
          message: 'a pass/fail criterion has max 1',
        });
      if (c.kind === 'scale' && c.max === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'max'],
          message: 'a scale criterion needs its max',
        });
      if (c.errorBelow !== undefined && c.errorBelow > (c.max ?? 1))
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'errorBelow'],
          message: 'must not be above max',
        });
    });
  });
export type RubricInput = z.infer<typeof RubricInput>;

export class Rubrics {
  constructor(
    private readonly models: Models,
    private readonly now: () => Date,
  ) {}

  current(): Promise<QualityRubricDoc | null> {
    return this.models.QualityRubric.findOne({}).sort({ version: -1 }).lean<QualityRubricDoc>();
  }

  version(version: number): Promise<QualityRubricDoc | null> {
    return this.models.QualityRubric.findOne({ version }).lean<QualityRubricDoc>();
  }

  list(): Promise<QualityRubricDoc[]> {
    return this.models.QualityRubric.find({}).sort({ version: -1 }).limit(100).lean<QualityRubricDoc[]>();
  }

  /** Saves the rubric as the next version; refuses when `basedOn` is no longer the current version. */
  async save(input: RubricInput, by: string | null): Promise<QualityRubricDoc> {
    const latest = await this.current();
    const version = (latest?.version ?? 0) + 1;
    if (input.basedOn !== undefined && input.basedOn !== (latest?.version ?? 0))
      throw new Conflict('rubric_changed', 'The rubric was changed meanwhile; reload it and edit again.');
    const criteria = input.criteria.map((c) => ({
      key: c.key,
      label: c.label,
      weight: c.weight,
      kind: c.kind,
      max: c.kind === 'pass_fail' ? 1 : (c.max ?? 1),
      errorBelow: c.kind === 'pass_fail' ? 1 : (c.errorBelow ?? 0),
      auto: c.auto ?? null,
    }));
    try {
      const doc = await this.models.QualityRubric.create({
        version,
        name: input.name,
        criteria,
        createdBy: by ? new Types.ObjectId(by) : null,
        createdAt: this.now(),
      });
      return doc.toObject();
    } catch (err) {
      if (isDuplicateKey(err))
        throw new Conflict('rubric_changed', 'The rubric was changed meanwhile; reload it and edit again.');
      throw err;
    }
  }
}
