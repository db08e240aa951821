/**
 * An email inbox's connection state covers two connections: reading mail (IMAP) and
 * sending replies (SMTP). Each side reports only its own condition; the inbox shows
 * `error` while either side has one — each reason on its own line, starting with the
 * side's name ("IMAP: …", "SMTP: …") — and `ok` once neither has. The state is kept on the
 * inbox itself, so every gateway process (the one reading the mailbox, the ones sending)
 * sees and updates the same two sides.
 */
import type { Logger } from 'pino';
import type { ChannelContext } from '../../server/domain/channel';
import type { InboxDoc } from '../../server/domain/inbox';

export type Side = 'IMAP' | 'SMTP';

export interface InboxState {
  status: InboxDoc['state']['status'];
  error: string | null;
}

/** Network failures that mean the server cannot be reached at all (system and client codes). */
export const UNREACHABLE =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|CONNECT_TIMEOUT|GREETING_TIMEOUT|EDNS)$/;

const SIDES: Side[] = ['IMAP', 'SMTP'];

/** Each side's reason in a stored state; a line naming no side (older states, start failures) is IMAP's. */
export function sidesOf(state: InboxState | null): Record<Side, string | null> {
  const sides: Record<Side, string | null> = { IMAP: null, SMTP: null };
  if (state?.status !== 'error' || !state.error) return sides;
  for (const line of state.error.split('\n')) {
    const side = SIDES.find((s) => line.startsWith(`${s}: `));
    const reason = side ? line.slice(side.length + 2) : line;
    const key = side ?? 'IMAP';
    sides[key] = sides[key] ? `${sides[key]} ${reason}` : reason;
  }
  return sides;
}

/** The state after one side reports (`reason` null: that side works), or null when nothing changes. */
export function nextState(current: InboxState | null, side: Side, reason: string | null): InboxState | null {
  const sides = sidesOf(current);
  const clean = reason === null ? null : reason.replace(/\s+/g, ' ').trim() || 'unknown error';
  sides[side] = clean;
  const lines = SIDES.filter((s) => sides[s] !== null).map((s) => `${s}: ${sides[s] as string}`);
  const next: InboxState = lines.length
    ? { status: 'error', error: lines.join('\n') }
    : { status: 'ok', error: null };
  return current?.status === next.status && current.error === next.error ? null : next;
}

/** Applies each side's reports to the inbox's stored state, one at a time per inbox in this process. */
export class InboxStates {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: ChannelContext,
    private readonly logger: Logger,
  ) {}

  report(inboxId: string, side: Side, reason: string | null): Promise<void> {
    const run = (this.pending.get(inboxId) ?? Promise.resolve()).then(() =>
      this.apply(inboxId, side, reason),
    );
    const settled = run.catch(() => undefined);
    this.pending.set(inboxId, settled);
    void settled.then(() => {
      if (this.pending.get(inboxId) === settled) this.pending.delete(inboxId);
    });
    return run;
  }

  /** As `report`, for callers that must go on whatever happens to the state (a send). */
  async note(inboxId: string, side: Side, reason: string | null): Promise<void> {
    await this.report(inboxId, side, reason).catch((err: unknown) =>
      this.logger.error({ err, inboxId }, 'inbox state not saved'),
    );
  }

  private async apply(inboxId: string, side: Side, reason: string | null): Promise<void> {
    const inbox = await this.ctx.models.Inbox.findById(inboxId, { state: 1 }).lean<Pick<InboxDoc, 'state'>>();
    if (!inbox) return;
    const next = nextState(inbox.state ?? null, side, reason);
    if (next) await this.ctx.reportInboxState(inboxId, next.status, next.error);
  }
}
