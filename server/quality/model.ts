/**
 * Quality inspection records: the rubric (every edit a new version, so a score keeps the
 * rubric it was scored against), the sample of conversations drawn for inspection, and
 * the scores given to them (a re-score is a new revision; the earlier one is kept).
 */
import { Schema, type Connection, type Types } from 'mongoose';

export const CRITERION_KINDS = ['scale', 'pass_fail'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];
/** Criteria the gateway can pre-fill from what it measured. */
export const AUTO_SOURCES = ['timeliness'] as const;
export type AutoSource = (typeof AUTO_SOURCES)[number];

export interface Criterion {
  key: string;
  label: { en: string; zh: string };
  weight: number;
  kind: CriterionKind;
  /** Highest score of a `scale` criterion (0..max); 1 for `pass_fail`. */
  max: number;
  /** A `scale` score below this is an error (0: never); a failed `pass_fail` criterion always is. */
  errorBelow: number;
  auto: AutoSource | null;
}

export interface QualityRubricDoc {
  _id: Types.ObjectId;
  version: number;
  name: string;
  criteria: Criterion[];
  createdBy: Types.ObjectId | null;
  createdAt: Date;
}

export const SAMPLE_REASONS = ['share', 'breached', 'low_rating'] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];

export interface QualitySampleDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  inboxId: Types.ObjectId;
  agentId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
  resolvedAt: Date;
  /** ISO week (`2026-W49`) of the resolution in the default calendar's zone: the share's group. */
  week: string;
  reasons: SampleReason[];
  drawnAt: Date;
  status: 'pending' | 'scored';
  /** The current score (latest revision), null until scored. */
  scoreId: Types.ObjectId | null;
  revision: number;
}

export interface CriterionScore {
  key: string;
  /** Points given: 0..max (`pass_fail`: 1 pass, 0 fail). */
  score: number;
  error: boolean;
  comment: string;
}

export interface QualityScoreDoc {
  _id: Types.ObjectId;
  sampleId: Types.ObjectId;
  conversationId: Types.ObjectId;
  agentId: Types.ObjectId | null;
  teamId: Types.ObjectId | null;
  resolvedAt: Date;
  revision: number;
  rubricVersion: number;
  criteria: CriterionScore[];
  comment: string;
  /** Weighted score, 0–100 with one decimal. */
  scorePct: number;
  /** Criteria scored as errors. */
  errorCount: number;
  /** A later revision replaced this one (kept, not overwritten). */
  current: boolean;
  /** Why a re-score was given (null on the first). */
  reason: string | null;
  scoredBy: Types.ObjectId;
  scoredAt: Date;
}

const criterion = new Schema<Criterion>(
  {
    key: { type: String, required: true },
    label: { en: { type: String, required: true }, zh: { type: String, required: true } },
    weight: { type: Number, required: true },
    kind: { type: String, enum: CRITERION_KINDS, required: true },
    max: { type: Number, required: true },
    errorBelow: { type: Number, default: 0 },
    auto: { type: String, enum: [...AUTO_SOURCES, null], default: null },
  },
  { _id: false },
);

const rubric = new Schema<QualityRubricDoc>(
  {
    version: { type: Number, required: true },
    name: { type: String, required: true },
    criteria: { type: [criterion], default: [] },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// One rubric per version; the current one is the highest (two admins saving at once: one wins).
rubric.index({ version: -1 }, { unique: true });

const sample = new Schema<QualitySampleDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    agentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: null },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team', default: null },
    resolvedAt: { type: Date, required: true },
    week: { type: String, required: true },
    reasons: { type: [String], enum: SAMPLE_REASONS, default: [] },
    drawnAt: { type: Date, required: true },
    status: { type: String, enum: ['pending', 'scored'], default: 'pending' },
    scoreId: { type: Schema.Types.ObjectId, default: null },
    revision: { type: Number, default: 0 },
  },
  { minimize: false },
);
// A conversation is drawn once, whatever the reasons and however many sweeps run.
sample.index({ conversationId: 1 }, { unique: true });
// The inspection queue: pending samples, oldest resolution first.
sample.index({ status: 1, resolvedAt: 1 });
// The share already drawn for an agent's week.
sample.index({ agentId: 1, week: 1 });

const score = new Schema<QualityScoreDoc>(
  {
    sampleId: { type: Schema.Types.ObjectId, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    agentId: { type: Schema.Types.ObjectId, default: null },
    teamId: { type: Schema.Types.ObjectId, default: null },
    resolvedAt: { type: Date, required: true },
    revision: { type: Number, required: true },
    rubricVersion: { type: Number, required: true },
    criteria: {
      type: [
        new Schema<CriterionScore>(
          {
            key: { type: String, required: true },
            score: { type: Number, required: true },
            error: { type: Boolean, required: true },
            comment: { type: String, default: '' },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    comment: { type: String, default: '' },
    scorePct: { type: Number, required: true },
    errorCount: { type: Number, required: true },
    current: { type: Boolean, default: true },
    reason: { type: String, default: null },
    scoredBy: { type: Schema.Types.ObjectId, ref: 'Agent', required: true },
    scoredAt: { type: Date, required: true },
  },
  { minimize: false },
);
// One score per revision of a sample: two supervisors scoring at once, one wins.
score.index({ sampleId: 1, revision: 1 }, { unique: true });
// Reports: current scores of conversations resolved in a period.
score.index({ current: 1, resolvedAt: 1 });
// "My scores": an agent's current scores, newest first.
score.index({ agentId: 1, current: 1, scoredAt: -1 });

export const registerQualityRubric = (db: Connection) => db.model<QualityRubricDoc>('QualityRubric', rubric);
export const registerQualitySample = (db: Connection) => db.model<QualitySampleDoc>('QualitySample', sample);
export const registerQualityScore = (db: Connection) => db.model<QualityScoreDoc>('QualityScore', score);
