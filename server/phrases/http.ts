/** REST API of the forbidden-phrase list: every agent reads it (the composer checks drafts); admins manage it. */
import express from 'express';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import { objectId } from '../complaints/schemas';
import { Conflict, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, route } from '../http/errors';
import type { ForbiddenPhraseDoc } from './model';

const phrase = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'at most 100 characters')
  .refine((s) => /[\p{L}\p{N}]/u.test(s), 'needs at least one letter or digit');
const hint = z.string().trim().max(300, 'at most 300 characters').nullable();
const Create = z.object({ phrase, hint: hint.default(null) }).strict();
const Update = z
  .object({ phrase: phrase.optional(), hint: hint.optional() })
  .strict()
  .refine((b) => b.phrase !== undefined || b.hint !== undefined, 'change phrase or hint');

/** One spelling of a phrase: full-width letters, case and runs of spaces do not make another. */
export const phraseKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

class DuplicatePhrase extends Conflict {
  constructor() {
    super('duplicate_phrase', 'This phrase is on the list already.');
  }
}

const view = (p: ForbiddenPhraseDoc) => ({
  id: String(p._id),
  phrase: p.phrase,
  hint: p.hint,
  createdAt: new Date(p.createdAt).toISOString(),
});

export function phrasesRouter(models: Models, access: AgentAccess, audit: StaffAudit) {
  const r = express.Router();
  const admins = requireRole(access, ['admin']);
  const target = (id: string) => ({ kind: 'forbidden_phrase', id });
  const unique = async <T>(write: () => Promise<T>) => {
    try {
      return await write();
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicatePhrase();
      throw err;
    }
  };

  r.get(
    '/forbidden-phrases',
    requireRole(access, ['agent', 'supervisor', 'admin']),
    route(async (_req, res) => {
      const list = await models.ForbiddenPhrase.find()
        .sort({ key: 1 })
        .limit(5000)
        .lean<ForbiddenPhraseDoc[]>();
      res.json({ phrases: list.map(view) });
    }),
  );
  r.post(
    '/forbidden-phrases',
    admins,
    route(async (req, res) => {
      const b = parse(Create, req.body ?? {});
      const by = (req as AuthedRequest).agent.agentId;
      const doc = await unique(() =>
        models.ForbiddenPhrase.create({ ...b, key: phraseKey(b.phrase), createdBy: by }),
      );
      await audit.byRequest(req, {
        action: 'phrase.created',
        target: target(String(doc._id)),
        details: { phrase: b.phrase },
      });
      res.status(201).json({ phrase: view(doc.toObject()) });
    }),
  );
  r.patch(
    '/forbidden-phrases/:id',
    admins,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(Update, req.body ?? {});
      const set: Record<string, unknown> = { ...b };
      if (b.phrase !== undefined) set.key = phraseKey(b.phrase);
      const doc = await unique(() =>
        models.ForbiddenPhrase.findByIdAndUpdate(id, { $set: set }, { new: true }).lean<ForbiddenPhraseDoc>(),
      );
      if (!doc) throw new NotFound('Phrase');
      await audit.byRequest(req, {
        action: 'phrase.updated',
        target: target(id),
        details: { fields: Object.keys(b) },
      });
      res.json({ phrase: view(doc) });
    }),
  );
  r.delete(
    '/forbidden-phrases/:id',
    admins,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const doc = await models.ForbiddenPhrase.findByIdAndDelete(id).lean<ForbiddenPhraseDoc>();
      if (!doc) throw new NotFound('Phrase');
      await audit.byRequest(req, {
        action: 'phrase.deleted',
        target: target(id),
        details: { phrase: doc.phrase },
      });
      res.status(204).end();
    }),
  );
  return r;
}
