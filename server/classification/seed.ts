/**
 * The categories and keyword rules a new installation starts with, written on start
 * when their collections are empty. Safe when two processes start at once: categories
 * are unique by key and seeded rules carry fixed ids, so a second insert is a no-op.
 */
import { Types } from 'mongoose';
import { isDuplicateKey, type Models } from '../domain/models';

export const SEED_CATEGORIES = [
  { key: 'consultation', names: { en: 'Consultation', zh: '咨询' } },
  { key: 'complaint', names: { en: 'Complaint', zh: '投诉' } },
  { key: 'billing', names: { en: 'Billing', zh: '账单与费用' } },
  { key: 'technical', names: { en: 'Technical support', zh: '技术支持' } },
  { key: 'returns', names: { en: 'Returns and exchanges', zh: '退换货' } },
] as const;

/** Ordered: a complaint about a refund is a complaint first. */
export const SEED_RULES = [
  {
    name: 'Complaints',
    category: 'complaint',
    keywords: ['complaint', 'complain', 'unacceptable', 'terrible service', '投诉', '差评', '不满意', '太差'],
  },
  {
    name: 'Returns and refunds',
    category: 'returns',
    keywords: [
      'refund',
      'refunds',
      'return',
      'returns',
      'exchange',
      'send it back',
      '退货',
      '退款',
      '换货',
      '退换',
    ],
  },
  {
    name: 'Billing',
    category: 'billing',
    keywords: [
      'invoice',
      'bill',
      'billing',
      'charged',
      'overcharged',
      'payment',
      '发票',
      '账单',
      '扣费',
      '收费',
      '付款',
    ],
  },
  {
    name: 'Technical problems',
    category: 'technical',
    keywords: [
      'error',
      'bug',
      'crash',
      'crashes',
      'crashed',
      'not working',
      "can't log in",
      'cannot log in',
      '故障',
      '报错',
      '闪退',
      '无法登录',
      '打不开',
    ],
  },
] as const;

const seedRuleId = (n: number) => new Types.ObjectId(`5eed${String(n).padStart(20, '0')}`);

async function insertOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export async function seedClassification(models: Models): Promise<void> {
  if ((await models.Category.countDocuments()) === 0) {
    for (const [order, c] of SEED_CATEGORIES.entries())
      await insertOnce(() => models.Category.create({ ...c, order }));
  }
  if ((await models.ClassificationRule.countDocuments()) === 0) {
    for (const [position, r] of SEED_RULES.entries())
      await insertOnce(() =>
        models.ClassificationRule.create({
          _id: seedRuleId(position + 1),
          ...r,
          keywords: [...r.keywords],
          position,
        }),
      );
  }
}
