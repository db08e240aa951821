/**
 * Web chat visitors for the fault suite: each holds an outbox and sends it the way the
 * widget does (same clientId on every resend, `busy` waits `retryAfterMs`), and the crowd
 * keeps score: what was acknowledged, and what the store holds for each client id.
 */
import mongoose, { type Connection } from 'mongoose';
import type { Socket } from 'socket.io-client';
import type { Ack, MessageView } from '../../shared/protocol';
import { connectVisitor, openVisitorSession, type VisitorClient } from '../harness/gateway';

interface Visitor {
  token: string;
  visitorId: string;
  socket: VisitorClient | null;
  outbox: string[];
}

export interface Tally {
  acked: number;
  busy: number;
  /** Error acks other than busy (e.g. the database is down). */
  errors: number;
  /** Sends that got no answer in time (the gateway died or stalled). */
  unanswered: number;
}

export class Crowd {
  private readonly visitors: Visitor[] = [];
  readonly acked = new Map<string, string>(); // dedupe key → message id
  readonly tally: Tally = { acked: 0, busy: 0, errors: 0, unanswered: 0 };
  private seq = 0;

  async open(url: string, inboxKey: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const s = await openVisitorSession(url, inboxKey);
      this.visitors.push({ token: s.token, visitorId: s.visitorId, socket: null, outbox: [] });
    }
  }

  /** (Re)connects every visitor to `url` (a restarted gateway may listen elsewhere). */
  async connect(url: string): Promise<void> {
    this.disconnect();
    await Promise.all(
      this.visitors.map(async (v) => {
        const s = await connectVisitor(url, v.token);
        v.socket = s;
      }),
    );
  }

  disconnect(): void {
    for (const v of this.visitors) {
      v.socket?.close();
      v.socket = null;
    }
  }

  /** Puts `perVisitor` new messages in every outbox. */
  write(perVisitor: number): void {
    for (const v of this.visitors) for (let i = 0; i < perVisitor; i++) v.outbox.push(`c${this.seq++}`);
  }

  get pending(): number {
    return this.visitors.reduce((n, v) => n + v.outbox.length, 0);
  }

  /**
   * One pass over every outbox, `parallel` sends at a time per visitor; `busy` is waited
   * out and resent within the pass. Resolves when every send has an answer or timed out.
   */
  async round(opts: { parallel?: number; timeoutMs?: number; onAck?: () => void } = {}): Promise<void> {
    const parallel = opts.parallel ?? 2;
    await Promise.all(
      this.visitors.map(async (v) => {
        const queue = [...v.outbox];
        const lane = async () => {
          for (let clientId = queue.shift(); clientId; clientId = queue.shift()) {
            for (;;) {
              const ack = await this.send(v, clientId, opts.timeoutMs ?? 4000);
              if (ack?.ok === false && ack.error.code === 'busy') {
                await new Promise((r) => setTimeout(r, ack.error.retryAfterMs ?? 500));
                continue;
              }
              if (ack?.ok) opts.onAck?.();
              break;
            }
          }
        };
        await Promise.all(Array.from({ length: parallel }, lane));
      }),
    );
  }

  private async send(v: Visitor, clientId: string, timeoutMs: number): Promise<Ack<MessageView> | null> {
    const s = v.socket;
    if (!s?.connected) {
      this.tally.unanswered++;
      return null;
    }
    const ack = await new Promise<Ack<MessageView> | null>((resolve) => {
      (s as Socket)
        .timeout(timeoutMs)
        .emit(
          'message:send',
          { clientId, text: `message ${clientId}` },
          (err: Error | null, a: Ack<MessageView>) => resolve(err ? null : a),
        );
    });
    if (!ack) this.tally.unanswered++;
    else if (ack.ok) {
      this.tally.acked++;
      this.acked.set(`web:${v.visitorId}:${clientId}`, ack.data.id);
      v.outbox = v.outbox.filter((c) => c !== clientId);
    } else if (ack.error.code === 'busy') this.tally.busy++;
    else this.tally.errors++;
    return ack;
  }

  /** Resends until every outbox is empty, reconnecting first; throws after `rounds` passes. */
  async drain(url: string, rounds = 15): Promise<void> {
    for (let i = 0; i < rounds && this.pending > 0; i++) {
      await this.connect(url).catch(() => undefined);
      await this.round();
      if (this.pending > 0) await new Promise((r) => setTimeout(r, 500));
    }
    if (this.pending > 0) throw new Error(`${this.pending} messages never acknowledged`);
  }

  /** Acknowledged-but-missing (a false ack) and doubled messages, counted in the store. */
  async audit(mongoUrl: string): Promise<{ missing: number; doubled: number; stored: number }> {
    const db: Connection = await mongoose.createConnection(mongoUrl).asPromise();
    try {
      const keys = new Map<string, number>();
      const rows = await db
        .collection('messages')
        .find({ direction: 'in' }, { projection: { dedupeKey: 1 } })
        .toArray();
      for (const r of rows) keys.set(String(r.dedupeKey), (keys.get(String(r.dedupeKey)) ?? 0) + 1);
      let missing = 0;
      for (const key of this.acked.keys()) if (!keys.has(key)) missing++;
      const doubled = [...keys.values()].filter((n) => n > 1).length;
      return { missing, doubled, stored: rows.length };
    } finally {
      await db.close();
    }
  }
}
