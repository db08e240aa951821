/**
 * A web chat visitor and a console agent that behave like the widget and the console
 * across reconnections (docs/protocol.md §1.4): an outbox resent with the same client
 * ids until acknowledged, and a catch-up on every connect. Each connects from a loopback
 * address of its own, so a load balancer that hashes client addresses sees distinct
 * clients.
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { ConversationView, MessageView, OfferView } from '../../shared/protocol';
import { callRaw, type AgentClient, type VisitorClient } from '../harness/gateway';

const ACK_TIMEOUT_MS = 8000;
const RETRY_AFTER_MS = 300;
const RECONNECT = { reconnectionDelay: 200, reconnectionDelayMax: 1000, randomizationFactor: 0.3 };

/** An HTTP agent whose connections leave from `address` (any of 127.0.0.0/8). */
export const fromAddress = (address: string) => new http.Agent({ localAddress: address, keepAlive: true });

/** A JSON request through `agent`; resolves with the status and the parsed body. */
export function requestJson<T>(
  url: string,
  opts: { method?: string; body?: unknown; token?: string; agent?: http.Agent } = {},
): Promise<{ status: number; body: T }> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? (payload ? 'POST' : 'GET'),
        agent: opts.agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
          } catch (err) {
            reject(new Error(`${url}: ${res.statusCode} ${text.slice(0, 200)}: ${String(err)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const newest = (ids: Iterable<string>) => {
  let max: string | undefined;
  for (const id of ids) if (max === undefined || id > max) max = id;
  return max;
};

/** Sends not yet acknowledged, by client id: resent with the same id after a timeout, a `busy` or a reconnect. */
class Outbox<T> {
  private readonly pending = new Map<string, T>();
  closed = false;

  constructor(
    private readonly socket: Socket,
    /** One attempt: 'done' (acknowledged or no longer wanted) or 'again'. */
    private readonly deliver: (clientId: string, item: T) => Promise<'done' | 'again'>,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  keys(): string[] {
    return [...this.pending.keys()];
  }

  has(clientId: string): boolean {
    return this.pending.has(clientId);
  }

  add(clientId: string, item: T): void {
    this.pending.set(clientId, item);
    if (this.socket.connected) this.attempt(clientId);
  }

  /** Everything pending, in the order it was written (on every connect). */
  flush(): void {
    for (const clientId of this.pending.keys()) this.attempt(clientId);
  }

  private attempt(clientId: string) {
    const item = this.pending.get(clientId);
    if (item === undefined || this.closed) return;
    this.deliver(clientId, item).then(
      (outcome) => (outcome === 'done' ? this.pending.delete(clientId) : this.retry(clientId)),
      () => this.retry(clientId),
    );
  }

  private retry(clientId: string) {
    setTimeout(() => {
      if (this.socket.connected && this.pending.has(clientId)) this.attempt(clientId);
    }, RETRY_AFTER_MS);
  }
}

export class WebchatVisitor {
  readonly socket: VisitorClient;
  /** Messages not yet acknowledged: client id → text, in the order they were written. */
  readonly outbox: Outbox<string>;
  readonly acked = new Map<string, MessageView>();
  /** Every message this visitor holds (acks, live events, catch-up), by id. */
  readonly held = new Map<string, MessageView>();
  connects = 0;
  attempts = 0;

  constructor(
    url: string,
    token: string,
    readonly transport: 'websocket' | 'polling',
    readonly address: string,
  ) {
    this.socket = io(`${url}/webchat`, {
      auth: { token },
      transports: [transport],
      agent: fromAddress(address) as unknown as string,
      forceNew: true,
      ...RECONNECT,
    });
    this.outbox = new Outbox(this.socket, async (clientId, text) => {
      this.attempts++;
      const ack = await callRaw<MessageView>(this.socket, 'message:send', { clientId, text }, ACK_TIMEOUT_MS);
      if (!ack.ok) return 'again';
      this.acked.set(clientId, ack.data);
      this.hold(ack.data);
      return 'done';
    });
    this.socket.on('message', (m) => this.hold(m));
    this.socket.on('connect', () => void this.resume());
  }

  /** The engine.io session of each connection, in order: what sticky load balancing keeps on one process. */
  readonly sessions: string[] = [];

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  send(clientId: string, text: string): void {
    this.outbox.add(clientId, text);
  }

  close(): void {
    this.outbox.closed = true;
    this.socket.close();
  }

  private hold(m: MessageView) {
    this.held.set(m.id, m);
  }

  /** As the widget on every connect: what came while away, then the outbox in order. */
  private async resume() {
    this.connects++;
    this.sessions.push(this.socket.io.engine.id);
    const after = newest(this.held.keys());
    try {
      const ack = await callRaw<MessageView[]>(
        this.socket,
        'history:get',
        after ? { after } : {},
        ACK_TIMEOUT_MS,
      );
      if (ack.ok) for (const m of ack.data) this.hold(m);
    } catch {
      // No answer: the next connect asks again.
    }
    this.outbox.flush();
  }
}

interface Reply {
  conversationId: string;
  inReplyTo: string;
  text: string;
}

/** An agent who accepts every offer and answers every customer message once, as `answer` says. */
export class ConsoleAgent {
  readonly socket: AgentClient;
  /** Conversations this agent holds. */
  readonly holding = new Set<string>();
  /** Every message seen, by conversation then id. */
  readonly seen = new Map<string, Map<string, MessageView>>();
  /** Replies not yet acknowledged, by client id. */
  readonly outbox: Outbox<Reply>;
  /** Customer messages answered (reply acknowledged), by id. */
  readonly answered = new Set<string>();
  connects = 0;
  private closed = false;

  constructor(
    url: string,
    token: string,
    readonly id: string,
    readonly address: string,
    private readonly answer: (m: MessageView) => string,
  ) {
    this.socket = io(`${url}/agent`, {
      auth: { token },
      transports: ['websocket', 'polling'],
      agent: fromAddress(address) as unknown as string,
      forceNew: true,
      ...RECONNECT,
    });
    this.outbox = new Outbox(this.socket, async (clientId, reply) => {
      const ack = await callRaw<MessageView>(
        this.socket,
        'message:send',
        { conversationId: reply.conversationId, clientId, text: reply.text },
        ACK_TIMEOUT_MS,
      );
      if (ack.ok) {
        this.answered.add(reply.inReplyTo);
        this.take(ack.data);
        return 'done';
      }
      if (ack.error.code !== 'not_assigned_to_you') return 'again';
      // The conversation left this agent; whoever holds it now answers.
      this.holding.delete(reply.conversationId);
      return 'done';
    });
    this.socket.on('connect', () => void this.resume());
    this.socket.on('offer', (o: OfferView) => void this.accept(o.conversation.id));
    this.socket.on('message', (m) => this.take(m));
    // An accept whose answer was lost still made this agent the assignee: the update says so.
    this.socket.on('conversation:updated', (c) => {
      if (c.status === 'assigned' && c.assigneeId === this.id && !this.holding.has(c.id))
        void this.open(c.id);
    });
    this.socket.on('offer:revoked', ({ conversationId, reason }) => {
      if (reason === 'returned') this.holding.delete(conversationId);
    });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  private markOnline: () => void = () => undefined;
  /** Resolves once the agent has set itself online after its first connect. */
  readonly online = new Promise<void>((resolve) => (this.markOnline = resolve));

  close(): void {
    this.outbox.closed = true;
    this.socket.close();
  }

  /** As the console on every connect: presence, my conversations and what they missed, the outbox. */
  private async resume() {
    this.connects++;
    try {
      const presence = await callRaw(this.socket, 'presence:set', { presence: 'online' }, ACK_TIMEOUT_MS);
      if (presence.ok) this.markOnline();
      const mine = await callRaw<ConversationView[]>(this.socket, 'conversations:mine', {}, ACK_TIMEOUT_MS);
      if (mine.ok) for (const c of mine.data) await this.open(c.id);
    } catch {
      // No answer: the next connect asks again.
    }
    this.outbox.flush();
  }

  private async accept(conversationId: string) {
    const ack = await callRaw(this.socket, 'offer:accept', { conversationId }, ACK_TIMEOUT_MS).catch(
      () => null,
    );
    if (ack?.ok) await this.open(conversationId);
  }

  /** conversation:get joins the conversation's room and returns its messages. */
  private async open(conversationId: string) {
    this.holding.add(conversationId);
    const ack = await callRaw<{ messages: MessageView[] }>(
      this.socket,
      'conversation:get',
      { conversationId },
      ACK_TIMEOUT_MS,
    ).catch(() => null);
    if (ack?.ok) for (const m of ack.data.messages) this.take(m);
  }

  private take(m: MessageView) {
    let conv = this.seen.get(m.conversationId);
    if (!conv) this.seen.set(m.conversationId, (conv = new Map()));
    conv.set(m.id, m);
    if (m.direction !== 'in' || !this.holding.has(m.conversationId)) return;
    const clientId = `re-${m.id}`;
    if (this.answered.has(m.id) || this.outbox.has(clientId)) return;
    this.outbox.add(clientId, { conversationId: m.conversationId, inReplyTo: m.id, text: this.answer(m) });
  }
}
