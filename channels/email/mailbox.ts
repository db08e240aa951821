/**
 * MailboxWatcher: one inbox's IMAP connection. It reads new mail in UID order, hands
 * each message to the channel and only then acknowledges it (Seen flag, move, UID
 * checkpoint with UIDVALIDITY), waits in IDLE (re-issued periodically; polling where
 * the server has no IDLE) and reconnects with backoff, reporting its state on the inbox.
 */
import { ImapFlow, type ImapFlowError, type MailboxObject } from 'imapflow';
import type { Logger } from 'pino';
import type { ChannelContext } from '../../server/domain/channel';
import type { EmailSettings } from './settings';
import type { Lease } from '../../server/coordination/lease';
import { Pause } from '../../server/coordination/pause';
import { UNREACHABLE } from './state';

export interface MailSource {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

export interface WatcherOptions {
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Wait after the server refused the credentials: retrying sooner only gets the account locked. */
  authRetryMs: number;
  /** How often IDLE is ended and re-issued (servers drop IDLE after 30 min; some sooner). */
  idleRestartMs: number;
  /** Lifetime of the lease that lets one gateway process watch the mailbox; another takes over this long after a crash. */
  leaseMs: number;
}

interface Checkpoint {
  uidValidity: string;
  lastUid: number;
  /** First-connection backfill of unseen mail up to this UID, while it is not finished. */
  backfillTo?: number;
}

/** Intake stopped because a message could not be stored (the database is down, say); retried on reconnect. */
export class StoreFailed extends Error {
  override name = 'StoreFailed';
}

/** Turns an IMAP failure into what an admin can act on; never contains the password. */
export function describeImapError(err: unknown, s: EmailSettings['imap']): string {
  if (err instanceof StoreFailed) return err.message;
  const e = err as ImapFlowError;
  const where = `${s.host}:${s.port}`;
  if (e.authenticationFailed)
    return `The IMAP server ${where} refused the login for ${s.user}${e.responseText ? ` (${e.responseText})` : ''}. Check the user name and password; Gmail and Outlook need an app password.`;
  if (e.mailboxMissing) return `The mailbox "${s.mailbox}" does not exist on ${where}.`;
  if (e.tlsFailed || /certificate|SSL|TLS/i.test(e.message ?? ''))
    return `TLS with the IMAP server ${where} failed (${e.message}). Check the security setting and port.`;
  if (e.code && UNREACHABLE.test(e.code)) return `Cannot reach the IMAP server ${where} (${e.code}).`;
  return `IMAP error on ${where}: ${e.responseText ?? e.message ?? String(err)}`;
}

export class MailboxWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private readonly pause = new Pause();
  private syncing: Promise<void> | null = null;
  private again = false;
  private storeFailure: StoreFailed | null = null;
  private readonly loop: Promise<void>;

  constructor(
    private readonly inboxId: string,
    private readonly settings: EmailSettings,
    private readonly ctx: ChannelContext,
    private readonly logger: Logger,
    private readonly options: WatcherOptions,
    /** Held by the one process that watches this mailbox. */
    private readonly lease: Lease,
    /** Stores one message; resolves once it is durable (or knowingly skipped). */
    private readonly take: (raw: Buffer, source: MailSource) => Promise<void>,
    /** Reports the IMAP side of the inbox's state: a reason, or null while connected. */
    private readonly report: (reason: string | null) => Promise<void>,
  ) {
    this.loop = this.run();
  }

  private get key(): string {
    return `${this.inboxId}:imap:${this.settings.imap.mailbox}`;
  }

  /** Whether this process watches the mailbox now. */
  get watching(): boolean {
    return this.lease.held && this.client !== null;
  }

  /** Takes or keeps the mailbox's lease; losing it ends the connection so the new holder reads alone. */
  private hold(): Promise<boolean> {
    return this.lease.hold(() => {
      this.logger.warn({ inboxId: this.inboxId }, 'lost the mailbox lease; another process reads it now');
      this.client?.close();
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (!(await this.hold())) {
        await this.pause.wait(this.lease.ttlMs / 3);
        continue;
      }
      let waitMs: number;
      try {
        await this.session();
        failures = 0;
        waitMs = this.options.reconnectMinMs;
      } catch (err) {
        if (this.stopped) break;
        if (!this.lease.held) continue;
        const message = describeImapError(err, this.settings.imap);
        this.logger.warn({ inboxId: this.inboxId, reason: message }, 'email inbox disconnected');
        await this.report(message).catch((e: unknown) =>
          this.logger.error({ err: e, inboxId: this.inboxId }, 'inbox state not saved'),
        );
        failures++;
        waitMs = (err as ImapFlowError).authenticationFailed
          ? this.options.authRetryMs
          : Math.min(
              this.options.reconnectMaxMs,
              this.options.reconnectMinMs * 2 ** Math.min(failures - 1, 16),
            );
      }
      if (!this.stopped) await this.pause.wait(waitMs);
    }
  }

  /** One connection: resolves when the server or network closes it, rejects when it fails. */
  private async session(): Promise<void> {
    const s = this.settings.imap;
    const client = new ImapFlow({
      host: s.host,
      port: s.port,
      secure: s.security === 'tls',
      doSTARTTLS: s.security === 'starttls' ? true : s.security === 'none' ? false : undefined,
      tls: { rejectUnauthorized: !s.allowInvalidCertificate },
      auth: { user: s.user, pass: s.password },
      logger: false,
      autoIdleDelay: 300,
      maxIdleTime: this.options.idleRestartMs,
      missingIdleCommand: 'STATUS',
      connectionTimeout: 30_000,
    });
    let failure: unknown = null;
    client.on('error', (err: Error) => {
      failure = err;
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    this.client = client;
    let poll: NodeJS.Timeout | null = null;
    try {
      await client.connect();
      await client.mailboxOpen(s.mailbox);
      await this.report(null);
      this.logger.info({ inboxId: this.inboxId, mailbox: s.mailbox }, 'email inbox connected');
      client.on('exists', () => this.kick(client));
      poll = setInterval(() => this.kick(client), this.settings.pollIntervalS * 1000);
      this.kick(client);
      await closed;
    } finally {
      if (poll) clearInterval(poll);
      this.client = null;
      if (client.usable) client.close();
    }
    if (this.stopped) return;
    const stuck = this.storeFailure;
    this.storeFailure = null;
    if (stuck) throw stuck;
    if (failure) throw failure;
    throw Object.assign(new Error('the server closed the connection'), { code: 'EConnectionClosed' });
  }

  /** Runs a sync now, or once more after the running one. */
  private kick(client: ImapFlow): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        await this.sync(client);
      } while (this.again && !this.stopped && client.usable);
    })()
      .catch((err: unknown) => {
        this.logger.error({ err, inboxId: this.inboxId }, 'reading the mailbox failed; reconnecting');
        if (err instanceof StoreFailed) this.storeFailure = err;
        if (client.usable) client.close();
      })
      .finally(() => {
        this.syncing = null;
      });
  }

  private async sync(client: ImapFlow): Promise<void> {
    const box = client.mailbox as MailboxObject | false;
    if (!box || this.stopped) return;
    const uidValidity = String(box.uidValidity);
    const stored = (await this.ctx.checkpoints.get(this.key)) as Checkpoint | null;
    let cp: Checkpoint;
    if (stored && stored.uidValidity === uidValidity) cp = stored;
    else if (stored) {
      // The mailbox was recreated: its UIDs start over. Everything is read again; Message-IDs keep it single.
      this.logger.warn({ inboxId: this.inboxId }, 'UIDVALIDITY changed; reading the mailbox again');
      cp = { uidValidity, lastUid: 0 };
    } else {
      const initial = this.settings.imap.initialSync;
      const upTo = box.uidNext - 1;
      cp =
        initial === 'all'
          ? { uidValidity, lastUid: 0 }
          : initial === 'none'
            ? { uidValidity, lastUid: upTo }
            : { uidValidity, lastUid: 0, backfillTo: upTo };
      await this.ctx.checkpoints.set(this.key, { ...cp });
    }
    if (cp.backfillTo !== undefined && cp.lastUid < cp.backfillTo) {
      const unseen =
        (await client.search({ seen: false, uid: `${cp.lastUid + 1}:${cp.backfillTo}` }, { uid: true })) ||
        [];
      cp = await this.readAll(client, unseen, cp);
      if (this.stopped) return;
      cp = { uidValidity, lastUid: Math.max(cp.lastUid, cp.backfillTo ?? 0) };
      await this.ctx.checkpoints.set(this.key, { ...cp });
    }
    const fresh = (await client.search({ uid: `${cp.lastUid + 1}:*` }, { uid: true })) || [];
    await this.readAll(client, fresh, cp);
  }

  private async readAll(client: ImapFlow, uids: number[], start: Checkpoint): Promise<Checkpoint> {
    let cp = start;
    for (const uid of [...uids].filter((u) => u > cp.lastUid).sort((a, b) => a - b)) {
      if (this.stopped || !client.usable) break;
      const found = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (found && found.source)
        await this.take(found.source, {
          mailbox: this.settings.imap.mailbox,
          uidValidity: cp.uidValidity,
          uid,
        });
      await this.acknowledge(client, uid);
      cp = { ...cp, lastUid: uid };
      await this.ctx.checkpoints.set(this.key, { ...cp });
    }
    return cp;
  }

  /** Flags or moves a stored message; a failure here is shown but never blocks intake. */
  private async acknowledge(client: ImapFlow, uid: number): Promise<void> {
    const after = this.settings.afterIngest;
    try {
      if (after.markSeen) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      if (after.moveTo) {
        const moved = await client.messageMove(String(uid), after.moveTo, { uid: true });
        if (!moved) throw new Error(`could not move the message to "${after.moveTo}"`);
      }
    } catch (err) {
      const reason = `Mail is read, but ${after.moveTo ? `moving it to "${after.moveTo}"` : 'flagging it'} failed: ${(err as Error).message}`;
      this.logger.warn({ inboxId: this.inboxId, uid, reason }, 'email acknowledgement failed');
      await this.report(reason);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    // Let the message being stored finish, so it is acknowledged rather than read twice.
    await this.syncing;
    const client = this.client;
    if (client?.usable) await client.logout().catch(() => client.close());
    else client?.close();
    await this.loop;
    await this.lease.release().catch(() => undefined);
  }
}
