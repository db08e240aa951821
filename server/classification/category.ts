/** Category: one entry of the admin-defined list a conversation is classified into. */
import { Schema, type Connection, type Types } from 'mongoose';

export interface CategoryDoc {
  _id: Types.ObjectId;
  /** Stable identifier stored on conversations and used by rules, policies and reports. */
  key: string;
  names: { en: string; zh: string };
  /** A skill agents should have to be offered conversations of this category first. */
  requiredSkill: string | null;
  /** How long (ms) only agents with the skill are offered the conversation; null: ROUTING_SKILL_WAIT_MS. */
  skillWaitMs: number | null;
  /** Disabled (archived) categories keep their name on old conversations but are offered no more. */
  enabled: boolean;
  /** Display order in pickers. */
  order: number;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CategoryDoc>(
  {
    key: { type: String, required: true },
    names: {
      en: { type: String, required: true },
      zh: { type: String, required: true },
    },
    requiredSkill: { type: String, default: null },
    skillWaitMs: { type: Number, default: null },
    enabled: { type: Boolean, default: true },
    order: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// Lookups by key (rules, PATCH, the console); unique so concurrent seeding cannot double a category.
schema.index({ key: 1 }, { unique: true });

export const registerCategory = (db: Connection) => db.model<CategoryDoc>('Category', schema);

export type CategoryView = Omit<CategoryDoc, '_id' | 'createdAt' | 'updatedAt'>;

export const categoryView = (c: CategoryDoc): CategoryView => ({
  key: c.key,
  names: { en: c.names.en, zh: c.names.zh },
  requiredSkill: c.requiredSkill ?? null,
  skillWaitMs: c.skillWaitMs ?? null,
  enabled: c.enabled,
  order: c.order,
});
