/**
 * REST API of quality inspection (docs/api.md §18): the rubric and its versions, drawing
 * and listing the inspection queue, one inspection and its scoring, an agent's own scores,
 * and the report (JSON or streamed CSV).
 */
import express from 'express';
import type { Types } from 'mongoose';
import { z } from 'zod';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { agentOf } from '../complaints/http';
import { objectId } from '../complaints/schemas';
import type { ChannelKind } from '../domain/types';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { messageView } from '../domain/views';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, plainQuery, route } from '../http/errors';
import { viewOf } from '../outreach/http';
import type { Inspections } from './inspections';
import type { QualityScoreDoc } from './model';
import { INTERVALS } from './periods';
import { GROUPS, qualityFigures, streamCsv } from './report';
import { RubricInput, type Rubrics } from './rubric';
import type { Sampler } from './sampling';
import { rubricView, sampleView, scoreView } from './views';

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/,
    'must be a date (YYYY-MM-DD) or an ISO instant',
  )
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()), 'is not a real date');
const limit = z.coerce.number().int().min(1).max(200).default(50);
const DAY = 86_400_000;

const Draw = z.object({ since: instant.optional() }).strict();
const QueueQuery = z.object({
  status: z.enum(['pending', 'scored']).default('pending'),
  agentId: objectId.optional(),
  limit,
});
const ScoresQuery = z.object({ agentId: objectId.optional(), limit });
const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const ScoreBody = z
  .object({
    rubricVersion: z.number().int().min(1).optional(),
    criteria: z
      .array(
        z
          .object({
            key: z.string().min(1).max(40),
            score: z.number().optional(),
            comment: z.string().max(2000).optional(),
          })
          .strict(),
      )
      .max(30),
    comment: z.string().max(4000).optional(),
    reason: z.string().max(1000).optional(),
    revision: z.number().int().min(0).optional(),
  })
  .strict();
const ReportQuery = z.object({
  from: instant,
  to: instant,
  groupBy: z.enum(GROUPS).default('agent'),
  interval: z.enum(INTERVALS).default('month'),
  format: z.enum(['json', 'csv']).default('json'),
});

export interface QualityHttpDeps {
  models: Models;
  access: AgentAccess;
  audit: StaffAudit;
  rubrics: Rubrics;
  sampler: Sampler;
  inspections: Inspections;
  zone: () => Promise<string>;
  now: () => Date;
}

/** `#12 Carl Customer` per conversation id, for lists. */
async function labelsOf(models: Models, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const convs = await models.Conversation.find({ _id: { $in: ids } }, { number: 1, contactId: 1 }).lean();
  const contacts = await models.Contact.find(
    { _id: { $in: convs.map((c) => c.contactId) } },
    { name: 1, email: 1, phone: 1 },
  ).lean();
  const names = new Map(contacts.map((c) => [String(c._id), c.name ?? c.email ?? c.phone ?? '']));
  return new Map(
    convs.map((c) => [String(c._id), `#${c.number} ${names.get(String(c.contactId)) ?? ''}`.trim()]),
  );
}

export function qualityRouter(d: QualityHttpDeps) {
  const r = express.Router();
  const staff = requireRole(d.access, ['agent', 'supervisor', 'admin']);
  const inspectors = requireRole(d.access, ['supervisor', 'admin']);
  const admin = requireRole(d.access, ['admin']);
  r.use('/quality', plainQuery);

  r.get(
    '/quality/rubric',
    staff,
    route(async (req, res) => {
      const { version } = parse(VersionQuery, req.query);
      const rubric = version ? await d.rubrics.version(version) : await d.rubrics.current();
      if (version && !rubric) throw new NotFound(`Rubric version ${version}`);
      res.json({ rubric: rubric ? rubricView(rubric) : null });
    }),
  );

  r.get(
    '/quality/rubrics',
    inspectors,
    route(async (_req, res) => {
      res.json({ rubrics: (await d.rubrics.list()).map(rubricView) });
    }),
  );

  r.put(
    '/quality/rubric',
    admin,
    route(async (req, res) => {
      const input = parse(RubricInput, req.body ?? {});
      const me = await agentOf(d.models, req);
      const rubric = await d.rubrics.save(input, String(me._id));
      await d.audit.byRequest(req, {
        action: 'quality.rubric_saved',
        target: { kind: 'quality_rubric', id: String(rubric.version) },
        details: { criteria: rubric.criteria.map((c) => c.key) },
      });
      res.status(201).json({ rubric: rubricView(rubric) });
    }),
  );

  r.post(
    '/quality/samples/draw',
    inspectors,
    route(async (req, res) => {
      const { since } = parse(Draw, req.body ?? {});
      if (since && (since > d.now() || d.now().getTime() - since.getTime() > 400 * DAY))
        throw new InvalidInput('since: must be in the past, at most 400 days ago');
      const result = await d.sampler.draw(since);
      res.json(result);
    }),
  );

  r.get(
    '/quality/samples',
    inspectors,
    route(async (req, res) => {
      const q = parse(QueueQuery, req.query);
      const samples = await d.inspections.queue(q, (req as AuthedRequest).agent);
      const scoreIds = samples.flatMap((s) => (s.scoreId ? [s.scoreId] : []));
      const [scores, labels] = await Promise.all([
        d.models.QualityScore.find({ _id: { $in: scoreIds } }).lean<QualityScoreDoc[]>(),
        labelsOf(
          d.models,
          samples.map((s) => s.conversationId),
        ),
      ]);
      const byId = new Map(scores.map((s) => [String(s._id), s]));
      res.json({
        samples: samples.map((s) =>
          sampleView(
            s,
            s.scoreId ? (byId.get(String(s.scoreId)) ?? null) : null,
            labels.get(String(s.conversationId)) ?? null,
          ),
        ),
      });
    }),
  );

  r.get(
    '/quality/samples/:id',
    staff,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const x = await d.inspections.detail(await agentOf(d.models, req), id);
      const channel: ChannelKind = x.conversation.channel;
      const current = x.scores.find((s) => s.current) ?? null;
      const conversation = await viewOf(d.models, x.conversation);
      res.json({
        sample: sampleView(
          x.sample,
          current,
          conversation.contactName
            ? `#${conversation.number} ${conversation.contactName}`
            : `#${conversation.number}`,
        ),
        conversation,
        messages: x.messages.map((m) => messageView(m, channel)),
        rubric: x.rubric ? rubricView(x.rubric) : null,
        suggested: Object.fromEntries(x.suggested),
        scores: x.scores.map(scoreView),
      });
    }),
  );

  r.post(
    '/quality/samples/:id/score',
    inspectors,
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const body = parse(ScoreBody, req.body ?? {});
      const s = await d.inspections.score(await agentOf(d.models, req), id, body);
      await d.audit.byRequest(req, {
        action: s.revision > 1 ? 'quality.rescored' : 'quality.scored',
        target: { kind: 'conversation', id: String(s.conversationId) },
        details: { sampleId: id, revision: s.revision, scorePct: s.scorePct, errors: s.errorCount },
      });
      res.status(201).json({ score: scoreView(s) });
    }),
  );

  r.get(
    '/quality/scores',
    staff,
    route(async (req, res) => {
      const q = parse(ScoresQuery, req.query);
      const me = await agentOf(d.models, req);
      if (me.role === 'agent' && q.agentId && q.agentId !== String(me._id))
        throw new Forbidden('Agents see only their own scores.');
      const agentId = me.role === 'agent' ? String(me._id) : q.agentId;
      const scores = await d.inspections.scores({ agentId, limit: q.limit });
      const labels = await labelsOf(
        d.models,
        scores.map((s) => s.conversationId),
      );
      res.json({
        scores: scores.map((s) => ({ ...scoreView(s), label: labels.get(String(s.conversationId)) ?? null })),
      });
    }),
  );

  r.get(
    '/quality/report',
    inspectors,
    route(async (req, res) => {
      const q = parse(ReportQuery, req.query);
      if (!(q.to > q.from)) throw new InvalidInput('to: must be after from');
      if (q.to.getTime() - q.from.getTime() > 800 * DAY)
        throw new InvalidInput('to: the range is at most 800 days');
      const zone = await d.zone();
      const figures = await qualityFigures(d.models, { ...q, zone });
      if (q.format === 'csv') {
        const name = `quality-${q.groupBy}-${q.interval}-${q.from.toISOString().slice(0, 10)}.csv`;
        await streamCsv(res, [...figures.rows, { ...figures.total, name: 'total' }], name);
        return;
      }
      res.json({
        from: q.from.toISOString(),
        to: q.to.toISOString(),
        groupBy: q.groupBy,
        interval: q.interval,
        zone,
        ...figures,
      });
    }),
  );
  return r;
}
