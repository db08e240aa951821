/**
 * PolicyRule: one ordered rule of the service-level policy. A rule matches conversations
 * by inbox, channel, priority, category and VIP (an empty list matches any) and sets the
 * target of some clocks, each counted in calendar or business time.
 */
import { Schema, type Connection, type Types } from 'mongoose';
import {
  CHANNEL_KINDS,
  TARGET_KINDS,
  type ChannelKind,
  type Priority,
  type TargetKind,
} from '../domain/types';

export interface PolicyTarget {
  ms: number;
  /** Counts only the inbox calendar's open time. */
  businessHours: boolean;
}

export type PolicyTargets = Partial<Record<TargetKind, PolicyTarget>>;

export interface PolicyMatch {
  inboxIds: Types.ObjectId[];
  channels: ChannelKind[];
  priorities: Priority[];
  categories: string[];
  /** true: VIP contacts only; false: everyone else; null: any. */
  vip: boolean | null;
}

export interface PolicyRuleDoc {
  _id: Types.ObjectId;
  name: string;
  /** Rules are tried in ascending order; the first enabled match that sets a clock wins for that clock. */
  order: number;
  enabled: boolean;
  match: PolicyMatch;
  targets: PolicyTargets;
  createdAt: Date;
  updatedAt: Date;
}

const target = new Schema<PolicyTarget>(
  { ms: { type: Number, required: true, min: 1 }, businessHours: { type: Boolean, default: false } },
  { _id: false },
);

const schema = new Schema<PolicyRuleDoc>(
  {
    name: { type: String, required: true },
    order: { type: Number, required: true },
    enabled: { type: Boolean, default: true },
    match: {
      inboxIds: { type: [Schema.Types.ObjectId], default: [] },
      channels: { type: [{ type: String, enum: CHANNEL_KINDS }], default: [] },
      priorities: { type: [Number], default: [] },
      categories: { type: [String], default: [] },
      vip: { type: Boolean, default: null },
    },
    targets: new Schema(
      Object.fromEntries(TARGET_KINDS.map((k) => [k, { type: target, default: undefined }])),
      { _id: false },
    ),
  },
  { timestamps: true, minimize: false },
);
// Clock start reads the enabled rules in order.
schema.index({ enabled: 1, order: 1 });

export const registerPolicyRule = (db: Connection) => db.model<PolicyRuleDoc>('PolicyRule', schema);
