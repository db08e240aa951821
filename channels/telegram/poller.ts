/**
 * Long polling for one bot: the process holding the bot's lease calls getUpdates from
 * the stored offset and advances the offset only after each update is stored. Failures
 * (a bad token, Telegram unreachable) are reported on the inbox and retried with backoff.
 */
import type { Telegram } from 'telegraf';
import { z } from 'zod';
import type { ChannelContext } from '../../server/domain/channel';
import { describeFailure } from './client';
import { takeUpdate, type BotInbox } from './inbound';
import type { Lease } from '../../server/coordination/lease';
import { Pause } from '../../server/coordination/pause';
import { ALLOWED_UPDATES } from './updates';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

const Offset = z.object({ offset: z.number().int() });
const UpdateId = z.object({ update_id: z.number().int() });

export interface PollerTiming {
  /** Backoff after a failed poll grows from 1 s up to this. */
  maxBackoffMs: number;
}

export class Poller {
  private stopped = false;
  /** Until the first poll succeeds the inbox may show an error from start-up. */
  private failing = true;
  private poll: AbortController | null = null;
  private readonly pause = new Pause();
  private running: Promise<void> | null = null;
  private readonly checkpoint: string;

  constructor(
    private readonly ctx: ChannelContext,
    private readonly bot: BotInbox,
    private readonly lease: Lease,
    private readonly timing: PollerTiming,
  ) {
    this.checkpoint = `${bot.inboxId}:telegram:offset`;
  }

  /** Whether this process is the bot's poller right now. */
  get polling(): boolean {
    return this.lease.held;
  }

  private get log() {
    return this.ctx.logger.child({ inboxId: this.bot.inboxId, channel: 'telegram' });
  }

  start(): void {
    this.running ??= this.loop().catch((err: unknown) => this.log.error({ err }, 'Telegram poller stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poll?.abort();
    this.pause.wake();
    await this.running;
    await this.lease.release().catch(() => undefined);
  }

  private take(): Promise<boolean> {
    return this.lease.hold(() => {
      this.log.warn('lost the Telegram poller lease; another process polls now');
      this.poll?.abort();
    });
  }

  private async loop(): Promise<void> {
    let backoff = 1000;
    while (!this.stopped) {
      if (!(await this.take())) {
        await this.pause.wait(this.lease.ttlMs / 3);
        continue;
      }
      try {
        await this.once();
        backoff = 1000;
        if (this.failing) {
          this.failing = false;
          await this.ctx.reportInboxState(this.bot.inboxId, 'ok', null);
        }
      } catch (err) {
        if (this.stopped || !this.lease.held) continue;
        const reason = describeFailure(err);
        this.log.warn({ reason, retryInMs: backoff }, 'Telegram polling failed');
        this.failing = true;
        await this.ctx.reportInboxState(this.bot.inboxId, 'error', reason).catch(() => undefined);
        await this.pause.wait(backoff);
        backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
      }
    }
  }

  /** One getUpdates, each update stored before the offset moves past it. */
  private async once(): Promise<void> {
    const stored = Offset.safeParse(await this.ctx.checkpoints.get(this.checkpoint));
    this.poll = new AbortController();
    const updates: unknown[] = await this.bot.telegram.callApi(
      'getUpdates',
      {
        offset: stored.success ? stored.data.offset : undefined,
        timeout: this.bot.settings.pollTimeoutS,
        allowed_updates: [...ALLOWED_UPDATES],
      },
      // telegraf types the signal as its polyfill's; node-fetch takes the native one.
      { signal: this.poll.signal as unknown as TelegrafSignal },
    );
    for (const raw of updates) {
      if (this.stopped || !this.lease.held) return;
      const id = UpdateId.safeParse(raw);
      if (!id.success) continue;
      await takeUpdate(this.ctx, this.bot, raw);
      await this.ctx.checkpoints.set(this.checkpoint, { offset: id.data.update_id + 1 });
    }
  }
}
