/**
 * Quality inspection (质检) as a capability: the rubric, the draw of conversations to
 * inspect (a periodic sweep, `draw now`, and a low rating given later), scoring on the
 * timeline, agents' own scores and the report. See docs/api.md §18.
 */
import type { Logger } from 'pino';
import type { StaffAudit } from '../audit/log';
import type { AgentAccess } from '../auth/access';
import { DEFAULT_CALENDAR_NAME } from '../calendar/store';
import type { Capability } from '../capability';
import type { Config } from '../config';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import { qualityRouter } from './http';
import { Inspections } from './inspections';
import { Rubrics } from './rubric';
import { LOW_RATING, Sampler } from './sampling';

export interface QualityDeps {
  models: Models;
  timeline: Timeline;
  access: AgentAccess;
  audit: StaffAudit;
  config: Config;
  now: () => Date;
  logger: Logger;
}

export function createQuality(d: QualityDeps): Capability {
  const { sampleShare, sampleSeed, sweepIntervalMs } = d.config.quality;
  /** Report periods and weeks are counted in the default calendar's zone. */
  const zone = async () => {
    const cal = await d.models.Calendar.findOne({ name: DEFAULT_CALENDAR_NAME }, { timeZone: 1 }).lean();
    return cal?.timeZone ?? d.config.defaultTimeZone;
  };
  const rubrics = new Rubrics(d.models, d.now);
  const sampler = new Sampler({
    models: d.models,
    timeline: d.timeline,
    share: sampleShare,
    seed: sampleSeed,
    zone,
    now: d.now,
    logger: d.logger,
  });
  const inspections = new Inspections(d.models, rubrics, d.timeline, d.now);

  d.timeline.listen((conv, type, _actor, data) => {
    const rating =
      type === 'csat.answered'
        ? data.rating
        : type === 'csat.changed'
          ? (data.new as { rating?: unknown } | undefined)?.rating
          : null;
    if (typeof rating !== 'number' || rating > LOW_RATING) return;
    const conversationId = String(conv._id);
    sampler
      .lowRating(conversationId)
      .catch((err: unknown) => d.logger.error({ err, conversationId }, 'low-rated conversation not drawn'));
  });

  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    sampler
      .draw()
      .catch((err: unknown) => d.logger.error({ err }, 'quality sampling sweep failed'))
      .finally(() => {
        if (timer) timer = setTimeout(tick, sweepIntervalMs);
      });
  };
  return {
    api: [
      qualityRouter({
        models: d.models,
        access: d.access,
        audit: d.audit,
        rubrics,
        sampler,
        inspections,
        zone,
        now: d.now,
      }),
    ],
    start() {
      timer = setTimeout(tick, sweepIntervalMs);
    },
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await sampler.idle();
    },
  };
}
