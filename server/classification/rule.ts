/** ClassificationRule: one ordered rule that sets the category of a conversation's first message. */
import { Schema, type Connection, type Types } from 'mongoose';
import { CHANNEL_KINDS, type ChannelKind } from '../domain/types';

export interface ClassificationRuleDoc {
  _id: Types.ObjectId;
  name: string;
  /** Rules are tried in ascending position; the first that matches decides. */
  position: number;
  category: string;
  channels: ChannelKind[];
  keywords: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ClassificationRuleDoc>(
  {
    name: { type: String, required: true },
    position: { type: Number, required: true },
    category: { type: String, required: true },
    channels: { type: [{ type: String, enum: CHANNEL_KINDS }], default: [] },
    keywords: { type: [String], default: [] },
    enabled: { type: Boolean, default: true },
  },
  { timestamps: true },
);
// Classifying a first message reads the enabled rules in order.
schema.index({ enabled: 1, position: 1 });
// Archiving a category checks whether a rule still uses it.
schema.index({ category: 1 });

export const registerClassificationRule = (db: Connection) =>
  db.model<ClassificationRuleDoc>('ClassificationRule', schema);

export type ClassificationRuleView = Omit<ClassificationRuleDoc, '_id' | 'createdAt' | 'updatedAt'> & {
  id: string;
};

export const ruleView = (r: ClassificationRuleDoc): ClassificationRuleView => ({
  id: String(r._id),
  name: r.name,
  position: r.position,
  category: r.category,
  channels: r.channels,
  keywords: r.keywords,
  enabled: r.enabled,
});
