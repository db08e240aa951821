/**
 * Builds what the handbooks add around a conversation — complaints and their solution
 * flow, follow-up tasks and their rules, agent-started conversations — and wires them
 * to each other; the composition root connects the result to classification, routing,
 * the channels, HTTP and the agent namespace.
 */
import express from 'express';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { AgentAccess } from './auth/access';
import type { Capability } from './capability';
import type { Config } from './config';
import { complaintsRouter } from './complaints/http';
import { SolutionEvent } from './complaints/schemas';
import { ComplaintRecords } from './complaints/service';
import { ComplaintSolutions } from './complaints/solution';
import { complaintView } from './complaints/views';
import type { CategoryChanged } from './classification/service';
import type { ConversationLocks } from './domain/lock';
import type { Models } from './domain/models';
import { FollowUpDue } from './followups/due';
import { followUpsRouter } from './followups/http';
import type { FollowUpTaskDoc } from './followups/model';
import { FollowUpRules } from './followups/rules';
import { FollowUps } from './followups/service';
import type { Timeline } from './ingest/timeline';
import type { Replies } from './messaging/replies';
import type { Metrics } from './observability/metrics';
import { outreachRouter, viewOf } from './outreach/http';
import { StartConversation } from './outreach/schemas';
import { Outreach } from './outreach/start';
import { handler } from './realtime/ack';
import type { Notifier } from './realtime/notifier';
import type { ResolutionHooks } from './routing/resolution';
import type { Router } from './routing/router';
import type { Seats } from './routing/seats';
import type { SlaEngine } from './sla/engine';

export interface ServiceManagementDeps {
  models: Models;
  locks: ConversationLocks;
  sla: SlaEngine;
  timeline: Timeline;
  notifier: Notifier;
  router: Router;
  seats: Seats;
  replies: Replies;
  metrics: Metrics;
  access: AgentAccess;
  io: Server;
  config: Config;
  now: () => Date;
  logger: Logger;
}

export function createServiceManagement(d: ServiceManagementDeps) {
  const records = new ComplaintRecords(d);
  const solutions = new ComplaintSolutions(records, d.replies);
  const outreach = new Outreach(d);
  const { sweepIntervalMs, warnRatio } = d.config.sla;
  const followUps = new FollowUps({
    ...d,
    warnRatio,
    outreach,
    complaintFollowedUp: (id, agentId) => solutions.followUpDone(id, agentId),
  });
  const alert = (t: FollowUpTaskDoc, kind: 'warning' | 'overdue', at: Date) => followUps.alert(t, kind, at);
  const due = new FollowUpDue({ ...d, alert, sweepIntervalMs }, d.config.redis, d.config.redisPrefix);
  followUps.due = due;
  const rules = new FollowUpRules(d.models, followUps, d.now, d.logger);
  records.listener = rules;

  const categoryChanged: CategoryChanged = (conv, from, at, actor) =>
    records.categoryChanged(conv, from, at, actor);
  const resolution: ResolutionHooks = {
    before: (conv) => records.beforeResolve(conv),
    after: (conv) => rules.conversationResolved(conv),
  };

  const http = express.Router();
  http.use(complaintsRouter(d.models, d.access, records, solutions));
  http.use(outreachRouter(d.models, d.access, outreach));
  http.use(followUpsRouter(d.models, d.access, followUps));

  /** Agent socket events beside those of realtime/agents.ts (same authentication, same checks). */
  const agentSocket: Capability['agentSocket'] = (socket, me, log) => {
    const { agentId } = socket.data as { agentId: string };
    socket.on(
      'complaint:solution',
      handler(
        'complaint:solution',
        SolutionEvent,
        async (p) => complaintView(await solutions.record(await me(), p.conversationId, p.text, p.clientId)),
        log,
        { agentId },
      ),
    );
    socket.on(
      'conversation:start',
      handler(
        'conversation:start',
        StartConversation,
        async (p) => viewOf(d.models, await outreach.start(await me(), p)),
        log,
        { agentId },
      ),
    );
  };

  // A low rating puts the customer at risk: follow-ups hear every answer (and change).
  d.timeline.listen((conv, type, _actor, data) => {
    const rating =
      type === 'csat.answered'
        ? data.rating
        : type === 'csat.changed'
          ? (data.new as { rating?: unknown } | undefined)?.rating
          : null;
    if (typeof rating === 'number') void rules.ratingReceived(String(conv._id), rating);
  });

  return {
    categoryChanged,
    resolution,
    api: [http],
    agentSocket,
    /** The customer accepted in the widget. */
    acceptSolution: async (conversationId: string) => {
      await solutions.accept({ type: 'customer' }, conversationId, null);
    },
    followUps,
    start: () => due.start(),
    close: () => due.close(),
  } satisfies Capability & Record<string, unknown>;
}
