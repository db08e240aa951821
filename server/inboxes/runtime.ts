/**
 * InboxRuntime: what runs for each enabled inbox in this process (its outbound queue and
 * its channel's intake), started at boot and applied again when an inbox changes. Changes
 * to one inbox are applied one after another, never interleaved, so a queue is never
 * closed under a restart that is still using it; every process applies every change.
 * Once the process stops, changes that still arrive (from other processes) start nothing.
 */
import type { Logger } from 'pino';
import type { Channel, ChannelContext } from '../domain/channel';
import type { InboxDoc } from '../domain/inbox';
import type { Models } from '../domain/models';
import type { ChannelKind } from '../domain/types';
import type { OutboundQueues } from '../queues/outbound';

export class InboxRuntime {
  /** The tail of each inbox's chain of changes being applied in this process. */
  private readonly applying = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly models: Models,
    private readonly channels: Map<ChannelKind, Channel>,
    private readonly outbound: OutboundQueues,
    private readonly ctx: Pick<ChannelContext, 'reportInboxState'>,
    private readonly logger: Logger,
  ) {}

  /** Starts every enabled inbox (at boot). */
  async startAll(): Promise<void> {
    for (const inbox of await this.models.Inbox.find({ enabled: true }).lean<InboxDoc[]>())
      await this.start(inbox);
  }

  /**
   * Applies an inbox's stored settings: what runs stops, and starts again if the inbox is
   * enabled. Resolves when this change (and every earlier one of the inbox) is applied.
   */
  apply(inboxId: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const previous = this.applying.get(inboxId) ?? Promise.resolve();
    const next = previous.then(() => this.restart(inboxId));
    const tail = next.catch((err: unknown) =>
      this.logger.error({ err, inboxId }, 'applying an inbox change failed'),
    );
    this.applying.set(inboxId, tail);
    void tail.then(() => {
      if (this.applying.get(inboxId) === tail) this.applying.delete(inboxId);
    });
    return next;
  }

  /** Takes no more changes, and waits for every change being applied (before the process stops). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.applying.values());
  }

  private async restart(inboxId: string): Promise<void> {
    const inbox = await this.models.Inbox.findById(inboxId).lean<InboxDoc>();
    if (!inbox) return;
    await this.channels.get(inbox.channel)?.stopInbox(inboxId);
    await this.outbound.closeInbox(inboxId);
    if (inbox.enabled && !this.stopped) await this.start(inbox);
  }

  private async start(inbox: InboxDoc): Promise<void> {
    const channel = this.channels.get(inbox.channel);
    if (!channel) return;
    this.outbound.open(inbox);
    try {
      await channel.startInbox(inbox);
    } catch (err) {
      this.logger.error({ err, inboxId: String(inbox._id) }, 'inbox failed to start');
      await this.ctx.reportInboxState(String(inbox._id), 'error', (err as Error).message);
    }
  }
}
