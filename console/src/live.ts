/**
 * The console's live state over the `/agent` namespace: the agent, offers, the queue,
 * their conversations, the open conversation with its messages and, for supervisors,
 * agents and SLA alerts. Views subscribe and re-render on change.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AckFn,
  AgentClientEvents,
  AgentServerEvents,
  AgentView,
  AttachmentView,
  ConversationView,
  MessageView,
  OfferView,
  PresenceView,
  SlaAlertView,
} from '../../shared/protocol';
import { clientId } from '../../ui/dom';

export interface OpenConversation {
  conversation: ConversationView;
  messages: MessageView[];
  pending: {
    clientId: string;
    text: string;
    private: boolean;
    attachments: AttachmentView[];
    failed: boolean;
  }[];
  typing: string | null;
}

export type Topic = 'me' | 'connection' | 'offers' | 'queue' | 'mine' | 'open' | 'supervisor' | 'error';

type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;
type AckData<E extends keyof AgentClientEvents> =
  Parameters<AgentClientEvents[E]>[1] extends AckFn<infer T> ? T : never;
const PRESENCE = 'switchboard:console:presence';

export class Live {
  connected = false;
  offers = new Map<string, OfferView>();
  /** When each offer arrived, for its countdown. */
  offeredAt = new Map<string, string>();
  queue: ConversationView[] = [];
  mine = new Map<string, ConversationView>();
  open: OpenConversation | null = null;
  agents: AgentView[] = [];
  alerts: SlaAlertView[] = [];
  /** Every breach since midnight, newest first (resolved conversations' too). */
  breachesToday: SlaAlertView[] = [];
  lastError: string | null = null;
  private readonly socket: AgentSocket;
  private readonly listeners = new Set<(topic: Topic) => void>();

  constructor(
    origin: string,
    token: string,
    public me: AgentView,
    private readonly onOffer: (o: OfferView) => void,
    private readonly onSignedOut: () => void,
    /** A warning or breach on one of this agent's own conversations. */
    private readonly onMyAlert: (a: SlaAlertView, c: ConversationView | null) => void = () => undefined,
  ) {
    this.socket = io(`${origin}/agent`, { auth: { token }, transports: ['websocket', 'polling'] });
    const s = this.socket;
    s.on('connect', () => this.connectedAgain());
    s.on('disconnect', () => this.set('connection', () => (this.connected = false)));
    // An expired or revoked token: back to the sign-in form.
    s.on('connect_error', (err) => {
      if (!s.active) this.onSignedOut();
      else if (err.message) this.set('connection', () => (this.connected = false));
    });
    s.on('offer', (o) => {
      this.offeredAt.set(o.conversation.id, new Date().toISOString());
      this.set('offers', () => this.offers.set(o.conversation.id, o));
      this.onOffer(o);
    });
    s.on('offer:revoked', ({ conversationId }) =>
      this.set('offers', () => this.offers.delete(conversationId)),
    );
    s.on('queue:updated', (q) => this.set('queue', () => (this.queue = q)));
    s.on('conversation:updated', (c) => this.conversationUpdated(c));
    s.on('message', (m) => this.messageArrived(m));
    s.on('message:updated', (m) => this.messageArrived(m));
    s.on('typing', (p) => {
      if (this.open?.conversation.id !== p.conversationId || p.by !== 'contact') return;
      const open = this.open;
      this.set('open', () => (open.typing = p.typing ? (p.name ?? '') : null));
    });
    s.on('sla:warning', (a) => this.alert(a));
    s.on('sla:breach', (a) => this.alert(a));
    s.on('agent:updated', (a) => {
      if (a.id === this.me.id) this.set('me', () => (this.me = a));
      this.set('supervisor', () => {
        const i = this.agents.findIndex((x) => x.id === a.id);
        if (i >= 0) this.agents[i] = a;
        else this.agents.push(a);
      });
    });
  }

  /** Adds agents from a listing; what live events already said about an agent is newer and stays. */
  knowAgents(list: AgentView[]): void {
    this.set('supervisor', () => {
      for (const a of list) if (!this.agents.some((x) => x.id === a.id)) this.agents.push(a);
    });
  }

  get isSupervisor(): boolean {
    return this.me.role !== 'agent';
  }

  /** Listens to a server event the live state does not keep (complaints, follow-ups); returns the undo. */
  on<E extends keyof AgentServerEvents>(event: E, fn: AgentServerEvents[E]): () => void {
    const s = this.socket as unknown as { on(e: string, f: unknown): void; off(e: string, f: unknown): void };
    s.on(event, fn);
    return () => s.off(event, fn);
  }

  subscribe(fn: (topic: Topic) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.socket.disconnect();
  }

  private set(topic: Topic, change: () => unknown): void {
    change();
    for (const fn of this.listeners) fn(topic);
  }

  /** Emits with an ack; rejects with the server's message. */
  call<E extends keyof AgentClientEvents>(
    event: E,
    payload: Parameters<AgentClientEvents[E]>[0],
  ): Promise<AckData<E>> {
    const raw = this.socket as unknown as Socket;
    return new Promise((resolve, reject) => {
      raw.timeout(10_000).emit(event, payload, (err: Error | null, ack: Ack<AckData<E>>) => {
        if (err) reject(err);
        else if (ack.ok) resolve(ack.data);
        else reject(new Error(ack.error.message));
      });
    });
  }

  /** Runs an action; a failure is shown to the agent instead of thrown. */
  attempt(run: () => Promise<unknown>): void {
    run().catch((err: unknown) =>
      this.set('error', () => (this.lastError = err instanceof Error ? err.message : String(err))),
    );
  }

  /** Signing in puts the agent online; their later choice holds across reconnects of this tab. */
  preferredPresence(): PresenceView {
    const p = sessionStorage.getItem(`${PRESENCE}:${this.me.id}`);
    return p === 'away' || p === 'offline' ? p : 'online';
  }

  async setPresence(presence: PresenceView): Promise<void> {
    sessionStorage.setItem(`${PRESENCE}:${this.me.id}`, presence);
    const me = await this.call('presence:set', { presence });
    this.set('me', () => (this.me = me));
  }

  private connectedAgain(): void {
    this.set('connection', () => (this.connected = true));
    this.attempt(async () => {
      // A tab's first sign-in takes the presence the agent's shift gives; later, their own choice.
      const chosen = sessionStorage.getItem(`${PRESENCE}:${this.me.id}`) !== null;
      await this.setPresence(
        chosen ? this.preferredPresence() : (await this.call('shift:mine', {})).presence,
      );
      const [queue, mine] = await Promise.all([
        this.call('queue:get', {}),
        this.call('conversations:mine', {}),
      ]);
      this.set('queue', () => (this.queue = queue));
      this.set('mine', () => (this.mine = new Map(mine.map((c) => [c.id, c]))));
      if (this.open) await this.openConversation(this.open.conversation.id);
      if (this.isSupervisor) await this.refreshSupervisor();
    });
  }

  async refreshSupervisor(): Promise<void> {
    const snap = await this.call('supervisor:snapshot', {});
    this.set('supervisor', () => {
      this.agents = snap.agents;
      this.alerts = snap.alerts;
      this.breachesToday = snap.breachesToday ?? [];
      this.queue = snap.queue;
    });
  }

  async openConversation(id: string): Promise<void> {
    const { conversation, messages } = await this.call('conversation:get', { conversationId: id });
    const pending = this.open?.conversation.id === id ? this.open.pending : [];
    this.set('open', () => (this.open = { conversation, messages, pending, typing: null }));
    this.markRead();
    this.flush();
  }

  async accept(id: string): Promise<void> {
    const c = await this.call('offer:accept', { conversationId: id });
    this.set('offers', () => this.offers.delete(id));
    this.conversationUpdated(c);
    await this.openConversation(id);
  }

  async take(id: string): Promise<void> {
    this.conversationUpdated(await this.call('conversation:take', { conversationId: id }));
    await this.openConversation(id);
  }

  async classify(
    id: string,
    change: { category?: string | null; labels?: string[]; priority?: number },
  ): Promise<void> {
    this.conversationUpdated(await this.call('conversation:classify', { conversationId: id, ...change }));
  }

  send(text: string, isPrivate: boolean, attachments: AttachmentView[] = []): void {
    if (!this.open) return;
    const open = this.open;
    this.set('open', () =>
      open.pending.push({ clientId: clientId(), text, private: isPrivate, attachments, failed: false }),
    );
    this.flush();
  }

  typing(typing: boolean): void {
    if (this.open && this.connected)
      this.socket.emit('typing', { conversationId: this.open.conversation.id, typing });
  }

  /** Sends the open conversation's unsent messages in order; resent with the same id after a reconnect. */
  private flushing = false;
  private flush(): void {
    const open = this.open;
    const next = open?.pending.find((p) => !p.failed);
    if (!open || !next || this.flushing || !this.connected) return;
    this.flushing = true;
    const payload = {
      conversationId: open.conversation.id,
      clientId: next.clientId,
      text: next.text,
      private: next.private,
      ...(next.attachments.length ? { attachments: next.attachments } : {}),
    };
    this.call('message:send', payload)
      .then((m) => {
        this.messageArrived(m);
        this.flushing = false;
        this.flush();
      })
      .catch((err: unknown) => {
        this.flushing = false;
        if (!this.connected) return;
        this.set('open', () => (next.failed = true));
        this.set('error', () => (this.lastError = err instanceof Error ? err.message : String(err)));
      });
  }

  private markRead(): void {
    const last = [...(this.open?.messages ?? [])].reverse().find((m) => m.direction === 'in');
    if (this.open && last && !last.readAt)
      this.socket.emit(
        'messages:read',
        { conversationId: this.open.conversation.id, upTo: last.id },
        () => undefined,
      );
  }

  private conversationUpdated(c: ConversationView): void {
    this.set('mine', () => {
      if (c.assigneeId === this.me.id && c.status === 'assigned') this.mine.set(c.id, c);
      else this.mine.delete(c.id);
    });
    if (c.assigneeId && this.offers.has(c.id)) this.set('offers', () => this.offers.delete(c.id));
    if (this.open?.conversation.id === c.id) {
      const open = this.open;
      this.set('open', () => (open.conversation = c));
    }
    // A warning is current while its clock still runs; a breach while the conversation is open
    // (a return to the queue cancels the clock, not the breach).
    const running = (a: SlaAlertView) =>
      a.conversationId !== c.id ||
      (c.status !== 'resolved' && (a.kind === 'breach' || c.clocks[a.clock] !== undefined));
    if (this.alerts.some((a) => !running(a)))
      this.set('supervisor', () => (this.alerts = this.alerts.filter(running)));
  }

  private messageArrived(m: MessageView): void {
    const open = this.open;
    if (!open || open.conversation.id !== m.conversationId) return;
    this.set('open', () => {
      const i = open.messages.findIndex((x) => x.id === m.id);
      if (i >= 0) open.messages[i] = m;
      else open.messages.push(m);
      open.messages.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      open.pending = open.pending.filter((p) => p.clientId !== m.clientId);
      if (m.direction === 'in') open.typing = null;
    });
    if (m.direction === 'in') this.markRead();
  }

  private alert(a: SlaAlertView): void {
    if (a.assigneeId === this.me.id) this.onMyAlert(a, this.mine.get(a.conversationId) ?? null);
    this.set('supervisor', () => {
      this.alerts = this.alerts.filter(
        (x) => !(x.conversationId === a.conversationId && x.clock === a.clock),
      );
      this.alerts.push(a);
      if (a.kind === 'breach') this.breachesToday = [a, ...this.breachesToday];
    });
  }
}
