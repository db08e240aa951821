/**
 * Drawing conversations for inspection. Over the resolutions on the timeline (the
 * `type, at` index), each agent's week gets its share — the conversations that rank
 * first by a seeded hash of their id, so a draw is reproducible — and every breached or
 * low-rated (CSAT ≤ 2) conversation is drawn too. A conversation is drawn once (unique
 * index); a later reason is added to its sample. A periodic sweep and `draw now` run it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { Types } from 'mongoose';
import type { ConversationDoc } from '../domain/conversation';
import { isDuplicateKey, type Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { QualitySampleDoc, SampleReason } from './model';
import { periodOf, startOfPreviousWeek } from './periods';

export const LOW_RATING = 2;
const BATCH = 500;

export interface SamplingDeps {
  models: Models;
  timeline: Timeline;
  share: number;
  seed: string;
  zone: () => Promise<string>;
  now: () => Date;
  logger: Logger;
}

interface Resolved {
  conv: Pick<ConversationDoc, '_id' | 'inboxId' | 'assigneeId' | 'teamId' | 'resolvedAt'>;
  agentId: Types.ObjectId | null;
  week: string;
}

/** The rank of a conversation in its week's draw: a seeded hash of its id (lower draws first). */
export const rank = (seed: string, conversationId: string): number =>
  createHash('sha256').update(`${seed}:${conversationId}`).digest().readUInt32BE(0);

export class Sampler {
  private drawing: Promise<{ drawn: number; examined: number }> | null = null;

  constructor(private readonly d: SamplingDeps) {}

  /** Draws over the conversations resolved since `since` (default: the start of last week); one draw at a time. */
  draw(since?: Date): Promise<{ drawn: number; examined: number }> {
    if (this.drawing) return this.drawing;
    this.drawing = this.run(since).finally(() => (this.drawing = null));
    return this.drawing;
  }

  /** Resolves when no draw is running (closing waits for it). */
  async idle(): Promise<void> {
    await this.drawing?.catch(() => undefined);
  }

  private async run(since?: Date): Promise<{ drawn: number; examined: number }> {
    const zone = await this.d.zone();
    const now = this.d.now();
    const from = since ?? startOfPreviousWeek(now, zone);
    const resolved = await this.resolvedSince(from, now, zone);
    const ids = [...resolved.keys()];
    const reasons = new Map<string, Set<SampleReason>>();
    const add = (id: string, r: SampleReason) => reasons.set(id, (reasons.get(id) ?? new Set()).add(r));
    const sampled = new Map<string, QualitySampleDoc>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const part = ids.slice(i, i + BATCH).map((id) => new Types.ObjectId(id));
      const [breached, low, drawn] = await Promise.all([
        this.d.models.ConversationEvent.find(
          { conversationId: { $in: part }, type: 'sla.breached' },
          { conversationId: 1 },
        ).lean(),
        this.d.models.Survey.find(
          { conversationId: { $in: part }, rating: { $lte: LOW_RATING } },
          { conversationId: 1 },
        ).lean(),
        this.d.models.QualitySample.find({ conversationId: { $in: part } }).lean<QualitySampleDoc[]>(),
      ]);
      for (const e of breached) add(String(e.conversationId), 'breached');
      for (const s of low) add(String(s.conversationId), 'low_rating');
      for (const s of drawn) sampled.set(String(s.conversationId), s);
    }
    for (const id of await this.shareOf(resolved, sampled)) add(id, 'share');

    let drawn = 0;
    for (const [id, why] of reasons) {
      const r = resolved.get(id);
      if (!r) continue;
      const have = sampled.get(id);
      const fresh = [...why].filter((x) => !have?.reasons.includes(x));
      if (fresh.length === 0) continue;
      if (have) await this.addReasons(id, fresh);
      else if (await this.insert(r, fresh)) drawn++;
    }
    return { drawn, examined: resolved.size };
  }

  /** Each conversation's latest resolution since `from`, with its agent and week. */
  private async resolvedSince(from: Date, to: Date, zone: string): Promise<Map<string, Resolved>> {
    const latest = new Map<string, { actor: Types.ObjectId | null }>();
    const cursor = this.d.models.ConversationEvent.find(
      { type: 'conversation.resolved', at: { $gte: from, $lte: to } },
      { conversationId: 1, actor: 1, at: 1 },
    )
      .sort({ at: 1 })
      .lean()
      .cursor();
    for await (const e of cursor) latest.set(String(e.conversationId), { actor: e.actor?.id ?? null });
    const out = new Map<string, Resolved>();
    const ids = [...latest.keys()];
    for (let i = 0; i < ids.length; i += BATCH) {
      const convs = await this.d.models.Conversation.find(
        { _id: { $in: ids.slice(i, i + BATCH) }, status: 'resolved' },
        { inboxId: 1, assigneeId: 1, teamId: 1, resolvedAt: 1 },
      ).lean<Resolved['conv'][]>();
      for (const conv of convs) {
        if (!conv.resolvedAt) continue;
        const agentId = conv.assigneeId ?? latest.get(String(conv._id))?.actor ?? null;
        out.set(String(conv._id), {
          conv,
          agentId,
          week: periodOf(new Date(conv.resolvedAt), zone, 'week') ?? '',
        });
      }
    }
    return out;
  }

  /**
   * The share per agent per week: ⌈share × resolved⌉ conversations of each agent's week,
   * less those already drawn for the share, taken in rank order from the rest.
   */
  private async shareOf(resolved: Map<string, Resolved>, sampled: Map<string, QualitySampleDoc>) {
    const groups = new Map<string, { agentId: Types.ObjectId; week: string; ids: string[] }>();
    for (const [id, r] of resolved) {
      if (!r.agentId) continue;
      const key = `${String(r.agentId)}:${r.week}`;
      const g = groups.get(key) ?? { agentId: r.agentId, week: r.week, ids: [] };
      g.ids.push(id);
      groups.set(key, g);
    }
    const picks: string[] = [];
    for (const g of groups.values()) {
      const target = Math.ceil(this.d.share * g.ids.length);
      if (target === 0) continue;
      const already = await this.d.models.QualitySample.countDocuments({
        agentId: g.agentId,
        week: g.week,
        reasons: 'share',
      });
      const rest = g.ids
        .filter((id) => !sampled.get(id)?.reasons.includes('share'))
        .sort((a, b) => rank(this.d.seed, a) - rank(this.d.seed, b) || a.localeCompare(b));
      picks.push(...rest.slice(0, Math.max(0, target - already)));
    }
    return picks;
  }

  private async insert(r: Resolved, reasons: SampleReason[]): Promise<boolean> {
    try {
      const s = await this.d.models.QualitySample.create({
        conversationId: r.conv._id,
        inboxId: r.conv.inboxId,
        agentId: r.agentId,
        teamId: r.conv.teamId ?? null,
        resolvedAt: r.conv.resolvedAt,
        week: r.week,
        reasons,
        drawnAt: this.d.now(),
      });
      await this.d.timeline.recordOnce(r.conv, 'quality.sampled', 'quality:sampled', {
        sampleId: String(s._id),
        reasons,
        agentId: r.agentId ? String(r.agentId) : null,
      });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.addReasons(String(r.conv._id), reasons);
      return false;
    }
  }

  private async addReasons(conversationId: string, reasons: SampleReason[]): Promise<void> {
    await this.d.models.QualitySample.updateOne(
      { conversationId },
      { $addToSet: { reasons: { $each: reasons } } },
    );
  }

  /** A low rating given after the draw: the resolved conversation is drawn (or its sample gains the reason). */
  async lowRating(conversationId: string): Promise<void> {
    const zone = await this.d.zone();
    const conv = await this.d.models.Conversation.findById(conversationId, {
      inboxId: 1,
      assigneeId: 1,
      teamId: 1,
      resolvedAt: 1,
      status: 1,
    }).lean<Resolved['conv'] & { status: string }>();
    if (!conv || conv.status !== 'resolved' || !conv.resolvedAt) return;
    const have = await this.d.models.QualitySample.findOne({ conversationId }, { reasons: 1 }).lean();
    if (have) {
      if (!have.reasons.includes('low_rating')) await this.addReasons(conversationId, ['low_rating']);
      return;
    }
    const week = periodOf(new Date(conv.resolvedAt), zone, 'week') ?? '';
    await this.insert({ conv, agentId: conv.assigneeId ?? null, week }, ['low_rating']);
  }
}
