/**
 * REST API of classification: the category list and keyword rules (admins), and the
 * category, labels and priority of a conversation and the VIP flag of a contact (staff).
 */
import type { SettingsChanges } from '../cache/changes';
import express from 'express';
import { z } from 'zod';
import { categoryView, type CategoryDoc } from '../classification/category';
import { ruleView, type ClassificationRuleDoc } from '../classification/rule';
import {
  CategoryCreate,
  CategoryUpdate,
  ClassifyChange,
  ContactChange,
  RuleCreate,
  RuleUpdate,
  categoryKey,
} from '../classification/schemas';
import type { Classification } from '../classification/service';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { contactView, conversationView } from '../domain/views';
import { requireRole, type AuthedRequest } from './auth';
import { parse, route } from './errors';
import { assertSeesContact } from '../access/reads';

const id = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');

export function classificationRouter(
  models: Models,
  access: AgentAccess,
  classification: Classification,
  changes: Pick<SettingsChanges, 'changed'>,
  audit: StaffAudit,
) {
  const r = express.Router();
  const category = (key: string) => ({ kind: 'category', id: key });
  const rule = (of: { _id: unknown }) => ({ kind: 'classification_rule', id: String(of._id) });
  const admin = requireRole(access, ['admin']);
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  const supervisors = requireRole(access, ['supervisor', 'admin']);
  // Intake reads categories and rules through a cache: a change here applies at once, on every process.
  r.use(['/categories', '/classification-rules'], (req, res, next) => {
    if (req.method !== 'GET') res.on('finish', () => changes.changed('classification'));
    next();
  });

  const categoryExists = async (key: string) => {
    if (!(await models.Category.exists({ key })))
      throw new InvalidInput(`category: there is no category "${key}".`);
  };

  r.get(
    '/categories',
    staff,
    route(async (_req, res) => {
      const all = await models.Category.find().sort({ order: 1, key: 1 }).lean<CategoryDoc[]>();
      res.json({ categories: all.map(categoryView) });
    }),
  );
  r.post(
    '/categories',
    admin,
    route(async (req, res) => {
      const body = parse(CategoryCreate, req.body);
      const order = body.order ?? (await models.Category.countDocuments());
      try {
        const created = await models.Category.create({ ...body, order });
        await audit.byRequest(req, { action: 'category.created', target: category(body.key), details: body });
        res.status(201).json({ category: categoryView(created.toObject()) });
      } catch (err) {
        if (isDuplicateKey(err)) throw new Conflict('duplicate_key', 'A category with this key exists.');
        throw err;
      }
    }),
  );
  r.patch(
    '/categories/:key',
    admin,
    route(async (req, res) => {
      const key = parse(categoryKey, req.params.key);
      const { names, ...rest } = parse(CategoryUpdate, req.body);
      const set: Record<string, unknown> = { ...rest };
      if (names?.en) set['names.en'] = names.en;
      if (names?.zh) set['names.zh'] = names.zh;
      const updated = await models.Category.findOneAndUpdate(
        { key },
        { $set: set },
        { new: true },
      ).lean<CategoryDoc>();
      if (!updated) throw new NotFound('Category');
      await audit.byRequest(req, {
        action: 'category.updated',
        target: category(key),
        details: { ...rest, ...(names ? { names } : {}) },
      });
      res.json({ category: categoryView(updated) });
    }),
  );
  r.delete(
    '/categories/:key',
    admin,
    route(async (req, res) => {
      const key = parse(categoryKey, req.params.key);
      const inUse =
        (await models.Conversation.exists({ category: key })) !== null ||
        (await models.ClassificationRule.exists({ category: key })) !== null;
      if (!inUse) {
        const gone = await models.Category.deleteOne({ key });
        if (gone.deletedCount === 0) throw new NotFound('Category');
        await audit.byRequest(req, { action: 'category.deleted', target: category(key) });
        res.status(204).end();
        return;
      }
      // Conversations and reports keep naming it: it is archived, offered no more.
      const archived = await models.Category.findOneAndUpdate(
        { key },
        { $set: { enabled: false } },
        { new: true },
      ).lean<CategoryDoc>();
      if (!archived) throw new NotFound('Category');
      await audit.byRequest(req, { action: 'category.archived', target: category(key) });
      res.json({ category: categoryView(archived), archived: true });
    }),
  );

  r.get(
    '/classification-rules',
    admin,
    route(async (_req, res) => {
      const rules = await models.ClassificationRule.find()
        .sort({ position: 1, _id: 1 })
        .lean<ClassificationRuleDoc[]>();
      res.json({ rules: rules.map(ruleView) });
    }),
  );
  r.post(
    '/classification-rules',
    admin,
    route(async (req, res) => {
      const body = parse(RuleCreate, req.body);
      await categoryExists(body.category);
      const last = await models.ClassificationRule.findOne({}, { position: 1 }).sort({ position: -1 }).lean();
      const created = await models.ClassificationRule.create({
        ...body,
        position: body.position ?? (last ? last.position + 1 : 0),
      });
      await audit.byRequest(req, {
        action: 'classification_rule.created',
        target: rule(created),
        details: body,
      });
      res.status(201).json({ rule: ruleView(created.toObject()) });
    }),
  );
  r.patch(
    '/classification-rules/:id',
    admin,
    route(async (req, res) => {
      const ruleId = parse(id, req.params.id);
      const body = parse(RuleUpdate, req.body);
      if (body.category) await categoryExists(body.category);
      const updated = await models.ClassificationRule.findOneAndUpdate(
        { _id: ruleId },
        { $set: body },
        { new: true },
      ).lean<ClassificationRuleDoc>();
      if (!updated) throw new NotFound('Rule');
      await audit.byRequest(req, {
        action: 'classification_rule.updated',
        target: rule(updated),
        details: body,
      });
      res.json({ rule: ruleView(updated) });
    }),
  );
  r.delete(
    '/classification-rules/:id',
    admin,
    route(async (req, res) => {
      const ruleId = parse(id, req.params.id);
      const gone = await models.ClassificationRule.deleteOne({ _id: ruleId });
      if (gone.deletedCount === 0) throw new NotFound('Rule');
      await audit.byRequest(req, {
        action: 'classification_rule.deleted',
        target: { kind: 'classification_rule', id: ruleId },
      });
      res.status(204).end();
    }),
  );

  r.patch(
    '/conversations/:id',
    staff,
    route(async (req, res) => {
      const conversationId = parse(id, req.params.id);
      const change = parse(ClassifyChange, req.body);
      const conv = await classification.change((req as AuthedRequest).agent, conversationId, change);
      const contact = await models.Contact.findById(conv.contactId, { name: 1, email: 1, phone: 1 }).lean();
      res.json({
        conversation: conversationView(conv, contact?.name ?? contact?.email ?? contact?.phone ?? null),
      });
    }),
  );
  r.patch(
    '/contacts/:id',
    supervisors,
    route(async (req, res) => {
      const contactId = parse(id, req.params.id);
      const change = parse(ContactChange, req.body);
      await assertSeesContact(models, (req as AuthedRequest).agent, contactId);
      const contact = await classification.changeContact((req as AuthedRequest).agent, contactId, change);
      res.json({ contact: contactView(contact) });
    }),
  );
  return r;
}
