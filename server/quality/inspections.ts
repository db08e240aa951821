/**
 * Inspections: the queue of drawn conversations, one inspection (transcript, rubric,
 * suggestions, scores so far) and scoring it. A score is a new revision: the first one
 * needs no reason, a re-score does, and the earlier revision is kept. Every score is a
 * `quality.scored` event on the conversation's timeline, and one with errors also a
 * `quality.error` event.
 */
import { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../domain/errors';
import type { MessageDoc } from '../domain/message';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { QualityRubricDoc, QualitySampleDoc, QualityScoreDoc } from './model';
import type { Rubrics } from './rubric';
import { scoreCriteria, weightedPct, type CriterionInput } from './score';
import { suggestions, timelinessOf } from './timeliness';
import { inTeams, scopeOf, teamFilter, type Scope } from '../access/rules';

export interface ScoreInput {
  rubricVersion?: number;
  criteria: CriterionInput[];
  comment?: string;
  /** Required when the conversation was scored before: why the score changes. */
  reason?: string;
  /** The revision this score replaces (0 for the first); a score given meanwhile is a conflict. */
  revision?: number;
}

const scoredMeanwhile = () =>
  new Conflict('scored_meanwhile', 'Someone scored this conversation meanwhile; reload it first.');

export class Inspections {
  constructor(
    private readonly models: Models,
    private readonly rubrics: Rubrics,
    private readonly timeline: Timeline,
    private readonly now: () => Date,
  ) {}

  /** The inspection queue as `by` sees it: a supervisor their teams' samples, an admin all. */
  queue(
    q: { status: 'pending' | 'scored'; agentId?: string; limit: number },
    by: Scope,
  ): Promise<QualitySampleDoc[]> {
    const filter: Record<string, unknown> = { status: q.status, ...teamFilter(by) };
    if (q.agentId) filter.agentId = new Types.ObjectId(q.agentId);
    return this.models.QualitySample.find(filter)
      .sort({ resolvedAt: q.status === 'pending' ? 1 : -1 })
      .limit(q.limit)
      .lean<QualitySampleDoc[]>();
  }

  /** A sample an agent may open only when it is theirs and scored; supervisors those of their teams, admins any. */
  async sampleFor(viewer: AgentDoc, sampleId: string): Promise<QualitySampleDoc> {
    const s = await this.models.QualitySample.findById(sampleId).lean<QualitySampleDoc>();
    if (!s || (viewer.role !== 'agent' && !inTeams(scopeOf(viewer), s.teamId)))
      throw new NotFound('Inspection');
    if (viewer.role === 'agent' && (!s.agentId?.equals(viewer._id) || s.status !== 'scored'))
      throw new NotFound('Inspection');
    return s;
  }

  /** Everything a supervisor scores from: transcript, the rubric, suggestions and the revisions so far. */
  async detail(viewer: AgentDoc, sampleId: string) {
    const sample = await this.sampleFor(viewer, sampleId);
    const [conversation, messages, scores] = await Promise.all([
      this.models.Conversation.findById(sample.conversationId).lean<ConversationDoc>(),
      this.models.Message.find({ conversationId: sample.conversationId })
        .sort({ createdAt: 1 })
        .limit(500)
        .lean<MessageDoc[]>(),
      this.models.QualityScore.find({ sampleId: sample._id })
        .sort({ revision: -1 })
        .lean<QualityScoreDoc[]>(),
    ]);
    if (!conversation) throw new NotFound('Conversation');
    const latest = scores[0];
    const rubric = latest ? await this.rubrics.version(latest.rubricVersion) : await this.rubrics.current();
    const suggested = rubric
      ? suggestions(rubric, await timelinessOf(this.models, String(sample.conversationId)))
      : new Map<string, number>();
    return { sample, conversation, messages, scores, rubric, suggested };
  }

  async score(by: AgentDoc, sampleId: string, input: ScoreInput): Promise<QualityScoreDoc> {
    const sample = await this.sampleFor(by, sampleId);
    if (sample.agentId?.equals(by._id))
      throw new Forbidden('You cannot score a conversation you handled yourself.');
    if (input.revision !== undefined && input.revision !== sample.revision) throw scoredMeanwhile();
    const reason = input.reason?.trim() ?? '';
    if (sample.revision > 0 && !reason)
      throw new InvalidInput('reason: this conversation was scored before; say why the score changes');
    const previous = sample.scoreId
      ? await this.models.QualityScore.findById(sample.scoreId).lean<QualityScoreDoc>()
      : null;
    const version = input.rubricVersion ?? previous?.rubricVersion;
    const rubric: QualityRubricDoc | null =
      version === undefined ? await this.rubrics.current() : await this.rubrics.version(version);
    if (!rubric)
      throw version === undefined
        ? new Conflict('no_rubric', 'Define the quality rubric before scoring.')
        : new InvalidInput(`rubricVersion: there is no rubric version ${version}`);
    const conv = await this.models.Conversation.findById(sample.conversationId, { inboxId: 1 }).lean();
    if (!conv) throw new NotFound('Conversation');
    const suggested = suggestions(rubric, await timelinessOf(this.models, String(sample.conversationId)));
    const criteria = scoreCriteria(rubric, input.criteria, suggested);

    const revision = sample.revision + 1;
    const scoredAt = this.now();
    let created: QualityScoreDoc;
    try {
      const doc = await this.models.QualityScore.create({
        sampleId: sample._id,
        conversationId: sample.conversationId,
        agentId: sample.agentId,
        teamId: sample.teamId,
        resolvedAt: sample.resolvedAt,
        revision,
        rubricVersion: rubric.version,
        criteria,
        comment: input.comment?.trim() ?? '',
        scorePct: weightedPct(rubric, criteria),
        errorCount: criteria.filter((c) => c.error).length,
        current: true,
        reason: sample.revision > 0 ? reason : null,
        scoredBy: by._id,
        scoredAt,
      });
      created = doc.toObject();
    } catch (err) {
      if (isDuplicateKey(err)) throw scoredMeanwhile();
      throw err;
    }
    const moved = await this.models.QualitySample.updateOne(
      { _id: sample._id, revision: sample.revision },
      { $set: { status: 'scored', scoreId: created._id, revision } },
    );
    if (moved.modifiedCount !== 1) {
      await this.models.QualityScore.deleteOne({ _id: created._id });
      throw scoredMeanwhile();
    }
    if (previous)
      await this.models.QualityScore.updateOne({ _id: previous._id }, { $set: { current: false } });
    await this.record(conv, created, previous);
    return created;
  }

  private async record(
    conv: Pick<ConversationDoc, '_id' | 'inboxId'>,
    s: QualityScoreDoc,
    previous: QualityScoreDoc | null,
  ): Promise<void> {
    const actor = { type: 'agent' as const, id: s.scoredBy };
    const ids = { sampleId: String(s.sampleId), scoreId: String(s._id), revision: s.revision };
    await this.timeline.recordOnce(
      conv,
      'quality.scored',
      `quality:scored:${s.revision}`,
      {
        ...ids,
        rubricVersion: s.rubricVersion,
        agentId: s.agentId ? String(s.agentId) : null,
        teamId: s.teamId ? String(s.teamId) : null,
        resolvedAt: new Date(s.resolvedAt).toISOString(),
        scorePct: s.scorePct,
        errors: s.errorCount,
        criteria: s.criteria.map((c) => ({ key: c.key, score: c.score, error: c.error })),
        replaces: previous ? String(previous._id) : null,
        reason: s.reason,
      },
      actor,
    );
    if (s.errorCount > 0)
      await this.timeline.recordOnce(
        conv,
        'quality.error',
        `quality:error:${s.revision}`,
        { ...ids, criteria: s.criteria.filter((c) => c.error).map((c) => c.key) },
        actor,
      );
  }

  /** Current scores, newest first: an agent's own, or (staff above agents) anyone's. */
  scores(q: { agentId?: string; limit: number }): Promise<QualityScoreDoc[]> {
    const filter: Record<string, unknown> = { current: true };
    if (q.agentId) filter.agentId = new Types.ObjectId(q.agentId);
    return this.models.QualityScore.find(filter)
      .sort({ scoredAt: -1 })
      .limit(q.limit)
      .lean<QualityScoreDoc[]>();
  }
}
