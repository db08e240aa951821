/**
 * Satisfaction surveys, wired once: asking after each resolution (a timeline listener),
 * answers from channels, SMS digit replies for ingest, the rating page and the report.
 */
import type { Logger } from 'pino';
import type { AgentAccess } from '../auth/access';
import type { Config } from '../config';
import type { ChannelContext } from '../domain/channel';
import type { ConversationLocks } from '../domain/lock';
import type { Models } from '../domain/models';
import type { Timeline } from '../ingest/timeline';
import type { Notifier } from '../realtime/notifier';
import { SurveyAnswers } from './answers';
import type { Replies } from '../messaging/replies';
import { SurveyAsker } from './ask';
import { csatReportRouter, ratingPageRouter } from './http';
import { TextAnswers } from './text-answers';

export interface SatisfactionDeps {
  config: Pick<Config, 'csat' | 'authSecret' | 'defaultTimeZone'>;
  models: Models;
  locks: ConversationLocks;
  timeline: Timeline;
  notifier: Notifier;
  replies: Pick<Replies, 'automatic'>;
  baseUrl: () => string;
  now: () => Date;
  logger: Logger;
}

export function createSatisfaction(d: SatisfactionDeps) {
  const { csat, authSecret, defaultTimeZone } = d.config;
  const asker = new SurveyAsker({
    ...d,
    automatic: (id, key, text, opts) => d.replies.automatic(id, key, text, opts),
    cfg: { enabled: csat.enabled, ttlS: csat.ttlS, secret: authSecret, timeZone: defaultTimeZone },
  });
  const answers = new SurveyAnswers(d);
  d.timeline.listen(asker.onEvent);
  const forChannels: ChannelContext['surveys'] = {
    answer: (a) => answers.fromChannel(a),
    open: (inboxId, contactId) => answers.open(inboxId, contactId),
  };
  return {
    asker,
    answers,
    forChannels,
    textAnswers: new TextAnswers(d.models, answers, d.notifier, d.now),
    pageRouter: ratingPageRouter(d.models, answers, authSecret, d.now),
    reportRouter: (access: AgentAccess) => csatReportRouter(d.models, access),
  };
}
