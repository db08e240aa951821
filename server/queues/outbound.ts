/**
 * OutboundQueues: one Bull queue per inbox carries agent replies and automatic messages
 * to the inbox's channel, at the channel's send rate, with retries and backoff.
 * Jobs carry message ids. A permanent failure is not retried: the message is marked
 * failed with the provider's reason and the agent sees it.
 */
import Bull from 'bull';
import type { RedisOptions } from 'ioredis';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Channel } from '../domain/channel';
import { PermanentSendError, RetryLaterError, surveyPromptOf } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { InboxDoc } from '../domain/inbox';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import type { ChannelKind, DeliveryStatus } from '../domain/types';
import type { Timeline } from '../ingest/timeline';
import type { DeliveryRecorder } from '../messaging/delivery';
import type { Metrics } from '../observability/metrics';
import { logQueueErrors, runWorker } from './timer-queue';

/** How long a reply waits before checking again whether the one before it has gone. */
const TURN_WAIT_MS = 500;
/** Replies older than this that are still unsent no longer hold later ones back. */
const TURN_MAX_WAIT_MS = 10 * 60_000;

interface SendJob {
  messageId: string;
}

export interface Reachability {
  set(contactId: string, channel: ChannelKind, reachable: boolean, reason: string | null): Promise<void>;
}

export class OutboundQueues {
  private readonly queues = new Map<string, Bull.Queue<SendJob>>();
  private closed = false;

  constructor(
    private readonly redis: RedisOptions,
    private readonly prefix: string,
    private readonly models: Models,
    private readonly channels: Map<ChannelKind, Channel>,
    private readonly delivery: DeliveryRecorder,
    private readonly timeline: Timeline,
    private readonly reachability: Reachability,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /** Creates (once) the inbox's queue and its worker in this process. */
  open(inbox: InboxDoc): Bull.Queue<SendJob> {
    const id = String(inbox._id);
    const known = this.queues.get(id);
    if (known) return known;
    // A queue opened now would outlive the process's shutdown.
    if (this.closed) throw new Error('outbound queues are closed: the gateway is stopping');
    const rate = this.channels.get(inbox.channel)?.sendRate?.(inbox) ?? null;
    const queue = new Bull<SendJob>(`outbound:${id}`, {
      redis: this.redis,
      prefix: this.prefix,
      limiter: rate ? { max: rate.max, duration: rate.durationMs } : undefined,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    });
    logQueueErrors(queue, this.logger);
    runWorker(queue, 4, async (job) => this.deliver(queue, job), this.logger);
    queue.on('failed', (job, err) => {
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void this.fail(job.data.messageId, err.message, null).catch((e: unknown) =>
          this.logger.error({ err: e }, 'marking failure failed'),
        );
      }
    });
    this.queues.set(id, queue);
    return queue;
  }

  /** Stops the inbox's worker in this process (waiting jobs stay in Redis for the next `open`). */
  async closeInbox(inboxId: string): Promise<void> {
    const queue = this.queues.get(inboxId);
    if (!queue) return;
    this.queues.delete(inboxId);
    await queue.close();
  }

  async enqueue(message: MessageDoc): Promise<void> {
    const inbox = await this.models.Inbox.findById(message.inboxId).lean<InboxDoc>();
    if (!inbox) throw new Error(`inbox ${String(message.inboxId)} is gone`);
    await this.open(inbox).add({ messageId: String(message._id) }, { jobId: String(message._id) });
    await this.setStatus(message, 'queued', null, null, {});
  }

  private async deliver(queue: Bull.Queue<SendJob>, job: Bull.Job<SendJob>): Promise<void> {
    const message = await this.models.Message.findById(job.data.messageId).lean<MessageDoc>();
    if (!message || ['sent', 'delivered', 'read', 'failed', 'undelivered'].includes(message.delivery.status))
      return;
    if (await this.earlierUnsent(message)) {
      // The customer reads replies in the order they were written: this one waits its turn.
      await this.later(queue, job, TURN_WAIT_MS);
      return;
    }
    const conversation = await this.models.Conversation.findById(
      message.conversationId,
    ).lean<ConversationDoc>();
    const inbox = await this.models.Inbox.findById(message.inboxId).lean<InboxDoc>();
    const contact = conversation
      ? await this.models.Contact.findById(conversation.contactId).lean<ContactDoc>()
      : null;
    const channel = inbox ? this.channels.get(inbox.channel) : undefined;
    if (!conversation || !inbox || !contact || !channel) {
      await this.fail(
        job.data.messageId,
        'The conversation, its inbox or its channel no longer exists.',
        null,
      );
      return;
    }
    const thread = await this.models.Message.find({
      conversationId: conversation._id,
      private: false,
      _id: { $lt: message._id },
    })
      .sort({ _id: -1 })
      .limit(20)
      .lean<MessageDoc[]>();
    try {
      const out = { inbox, contact, conversation, message, thread };
      const survey = surveyPromptOf(message);
      const res =
        survey && channel.sendSurvey ? await channel.sendSurvey(out, survey) : await channel.send(out);
      await this.setStatus(message, res.status, res.providerId, null, res.meta ?? {});
      this.metrics.sends.inc({ channel: inbox.channel, outcome: 'sent' });
    } catch (err) {
      if (err instanceof PermanentSendError) {
        this.metrics.sends.inc({ channel: inbox.channel, outcome: 'failed' });
        await this.fail(String(message._id), err.message, err.providerCode);
        if (err.unreachable)
          await this.reachability.set(String(contact._id), inbox.channel, false, err.message);
        return;
      }
      if (err instanceof RetryLaterError) {
        this.metrics.sends.inc({ channel: inbox.channel, outcome: 'throttled' });
        await this.later(queue, job, err.retryAfterMs);
        return;
      }
      this.metrics.sends.inc({ channel: inbox.channel, outcome: 'retry' });
      this.logger.warn(
        { err, messageId: String(message._id), inboxId: String(inbox._id) },
        'send failed; will retry',
      );
      throw err;
    }
  }

  /** An earlier reply of the same conversation still on its way (recent: a lost job cannot block forever). */
  private async earlierUnsent(message: MessageDoc): Promise<boolean> {
    const since = new Types.ObjectId(Math.floor((Date.now() - TURN_MAX_WAIT_MS) / 1000));
    const earlier = await this.models.Message.exists({
      conversationId: message.conversationId,
      direction: 'out',
      private: false,
      _id: { $lt: message._id, $gt: since },
      'delivery.status': { $in: ['pending', 'queued'] },
      // Handed to the provider (which may report it "queued" too) counts as gone.
      'delivery.providerId': null,
    });
    return earlier !== null;
  }

  /** Sends the job again after `delayMs`, as a new job (this one completes). */
  private async later(queue: Bull.Queue<SendJob>, job: Bull.Job<SendJob>, delayMs: number): Promise<void> {
    await queue.add(job.data, { jobId: `${job.data.messageId}:${Date.now()}`, delay: delayMs });
  }

  private async setStatus(
    message: MessageDoc,
    status: DeliveryStatus,
    providerId: string | null,
    error: string | null,
    meta: Record<string, unknown>,
  ) {
    await this.delivery.record(message, status, { providerId, error, meta });
  }

  private async fail(messageId: string, reason: string, code: string | null): Promise<void> {
    const message = await this.models.Message.findById(messageId).lean<MessageDoc>();
    if (!message) return;
    await this.setStatus(message, 'failed', null, code ? `${reason} (${code})` : reason, {});
    await this.timeline.record(
      { _id: message.conversationId, inboxId: message.inboxId },
      'message.failed',
      { type: 'system', id: null },
      {
        messageId,
        reason,
        code,
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
