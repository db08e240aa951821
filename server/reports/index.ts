/**
 * Reports: the supervisors' figures over the timeline and the clock measurements, their
 * drill-down and CSV export, and the resolution rows the figures count (written as the
 * timeline records each resolution).
 */
import type { Logger } from 'pino';
import type { AgentAccess } from '../auth/access';
import type { Capability } from '../capability';
import type { Config } from '../config';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import { reportsRouter } from './http';
import { ResolutionRecorder } from './recorder';

export interface ReportsDeps {
  models: Models;
  access: AgentAccess;
  timeline: Timeline;
  config: Pick<Config, 'defaultTimeZone'>;
  now: () => Date;
  logger: Logger;
}

export function createReports(d: ReportsDeps): Capability {
  const recorder = new ResolutionRecorder(d.models, d.logger);
  d.timeline.listen(recorder.onEvent);
  return { api: [reportsRouter(d.models, d.access, d.config.defaultTimeZone, d.now)] };
}
