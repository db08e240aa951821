/**
 * The visitor's live conversation: the socket, the message list and the outbox. A send
 * stays in the outbox until the server acknowledges it; after any reconnect the widget
 * fetches everything after the last message it holds and resends the outbox with the
 * same client ids, so a dropped connection neither loses nor doubles a message.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AttachmentView,
  MessageView,
  SurveyView,
  VisitorStatusView,
  WebchatClientEvents,
  WebchatServerEvents,
} from '../../shared/protocol';
import { clientId } from '../../ui/dom';
import type { SurveyOutcome } from './survey';

export interface PendingMessage {
  clientId: string;
  text: string;
  attachments: AttachmentView[];
  createdAt: string;
  failed: boolean;
}

export interface ChatState {
  connected: boolean;
  messages: MessageView[];
  pending: PendingMessage[];
  status: VisitorStatusView | null;
  agentTyping: string | null;
  /** Visitor messages up to this id were read by the agent. */
  readUpTo: string | null;
  /** The solution proposed to the visitor's complaint, until they accept it or the conversation ends. */
  solution: { messageId: string; text: string } | null;
  /** The satisfaction survey of the latest resolution: asked, or answered in one of the visitor's tabs. */
  survey: SurveyView | null;
}

const ACK_TIMEOUT_MS = 8000;
const BUSY_RETRY_MS = 2000;
const byId = (a: MessageView, b: MessageView) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Chat {
  readonly state: ChatState = {
    connected: false,
    messages: [],
    pending: [],
    status: null,
    agentTyping: null,
    readUpTo: null,
    solution: null,
    survey: null,
  };
  private socket: Socket<WebchatServerEvents, WebchatClientEvents> | null = null;
  private flushing = false;
  /** Bumped on every disconnect so answers to sends from an older connection are ignored. */
  private generation = 0;

  constructor(
    private readonly origin: string,
    private readonly onChange: () => void,
    private readonly onAgentMessage: (m: MessageView) => void,
  ) {}

  /** Forgets what was shown: the next session is another visitor's. */
  reset(): void {
    Object.assign(this.state, {
      messages: [],
      pending: [],
      status: null,
      agentTyping: null,
      readUpTo: null,
      solution: null,
      survey: null,
    });
    this.onChange();
  }

  connect(token: string): void {
    this.socket?.disconnect();
    const s: Socket<WebchatServerEvents, WebchatClientEvents> = io(`${this.origin}/webchat`, {
      auth: { token },
      transports: ['websocket', 'polling'],
    });
    this.socket = s;
    s.on('connect', () => {
      this.state.connected = true;
      this.onChange();
      this.catchUp();
    });
    s.on('disconnect', () => {
      this.generation++;
      this.flushing = false;
      this.state.connected = false;
      this.onChange();
    });
    s.on('message', (m) => this.merge([m]));
    s.on('message:updated', (m) => this.merge([m]));
    s.on('complaint:solution', ({ messageId, text }) => {
      this.state.solution = { messageId, text };
      this.onChange();
    });
    s.on('survey:request', (sv) => {
      this.state.survey = sv;
      this.onChange();
    });
    s.on('status', (st) => {
      this.state.status = st;
      if (st.status === 'resolved') this.state.solution = null;
      this.onChange();
    });
    s.on('typing', ({ typing, agentName }) => {
      this.state.agentTyping = typing ? (agentName ?? '') : null;
      this.onChange();
    });
    s.on('messages:read', ({ upTo }) => {
      if (!this.state.readUpTo || upTo > this.state.readUpTo) this.state.readUpTo = upTo;
      this.onChange();
    });
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  /** The browser knows the network is gone before the socket's heartbeat does: drop and redial at once. */
  watchNetwork(win: Window): void {
    win.addEventListener('offline', () => this.socket?.disconnect());
    win.addEventListener('online', () => this.socket?.connect());
  }

  send(text: string, attachments: AttachmentView[] = []): void {
    this.state.pending.push({
      clientId: clientId(),
      text,
      attachments,
      createdAt: new Date().toISOString(),
      failed: false,
    });
    this.onChange();
    this.flush();
  }

  typing(typing: boolean): void {
    if (this.socket?.connected) this.socket.emit('typing', { typing });
  }

  /** The visitor accepts the proposed solution; the button goes once the server has recorded it. */
  acceptSolution(): void {
    this.socket?.timeout(ACK_TIMEOUT_MS).emit('complaint:accept', {}, (err, ack) => {
      if (err || !ack.ok) return;
      this.state.solution = null;
      this.onChange();
    });
  }

  /** Answers (or changes the answer to) the survey; the server's copy replaces the shown one. */
  answerSurvey(surveyId: string, rating: number, comment?: string): Promise<SurveyOutcome> {
    const s = this.socket;
    if (!s?.connected) return Promise.resolve({ ok: false, closed: false });
    const payload = comment === undefined ? { surveyId, rating } : { surveyId, rating, comment };
    return new Promise((resolve) => {
      s.timeout(ACK_TIMEOUT_MS).emit('survey:answer', payload, (err, ack) => {
        if (err || !ack.ok) {
          resolve({ ok: false, closed: !err && !ack.ok && ack.error.code === 'survey_closed' });
          return;
        }
        this.state.survey = ack.data;
        this.onChange();
        resolve({ ok: true, survey: ack.data });
      });
    });
  }

  markRead(upTo: string): void {
    if (this.socket?.connected) this.socket.emit('messages:read', { upTo }, () => undefined);
  }

  get lastId(): string | null {
    return this.state.messages[this.state.messages.length - 1]?.id ?? null;
  }

  private catchUp(): void {
    const s = this.socket;
    if (!s) return;
    const after = this.lastId ?? undefined;
    s.timeout(ACK_TIMEOUT_MS).emit('history:get', after ? { after } : {}, (err, ack) => {
      if (!err && ack.ok) this.merge(ack.data);
      this.flush();
    });
    s.timeout(ACK_TIMEOUT_MS).emit('status:get', {}, (err, ack) => {
      if (!err && ack.ok) {
        this.state.status = ack.data;
        this.onChange();
      }
    });
    // An open survey waits for the visitor's next visit; an answered one stays as it was shown.
    s.timeout(ACK_TIMEOUT_MS).emit('survey:get', {}, (err, ack) => {
      if (err || !ack.ok) return;
      if (ack.data) this.state.survey = ack.data;
      else if (this.state.survey?.rating === null) this.state.survey = null;
      this.onChange();
    });
  }

  /** Sends the outbox in order, one at a time; stops at the first failure and retries on reconnect. */
  private flush(): void {
    const s = this.socket;
    if (this.flushing || !s?.connected) return;
    const next = this.state.pending.find((p) => !p.failed);
    if (!next) return;
    this.flushing = true;
    const generation = this.generation;
    const payload = next.attachments.length
      ? { clientId: next.clientId, text: next.text, attachments: next.attachments }
      : { clientId: next.clientId, text: next.text };
    s.timeout(ACK_TIMEOUT_MS).emit('message:send', payload, (err: Error | null, ack: Ack<MessageView>) => {
      if (generation !== this.generation) return; // the reconnect resends it
      this.flushing = false;
      if (err) {
        this.flush(); // no answer in time: resend with the same id (the server dedupes)
        return;
      }
      if (ack.ok) this.merge([ack.data]);
      else if (ack.error.code === 'invalid_input') next.failed = true;
      else if (ack.error.code === 'busy') {
        // The gateway is overloaded: the same message, same client id, once it asks us to.
        this.flushing = true;
        setTimeout(() => {
          if (generation !== this.generation) return;
          this.flushing = false;
          this.flush();
        }, ack.error.retryAfterMs ?? BUSY_RETRY_MS);
        return;
      } else return;
      this.onChange();
      this.flush();
    });
  }

  /** Adds or updates messages by id; a stored copy replaces the pending one with its client id. */
  private merge(incoming: MessageView[]): void {
    let changed = false;
    for (const m of incoming) {
      if (m.private) continue;
      const at = this.state.messages.findIndex((x) => x.id === m.id);
      if (at >= 0) this.state.messages[at] = m;
      else {
        this.state.messages.push(m);
        if (m.direction === 'out') this.onAgentMessage(m);
      }
      this.state.pending = this.state.pending.filter((p) => p.clientId !== m.clientId);
      if (m.direction === 'out' && m.sender.type === 'agent') this.state.agentTyping = null;
      changed = true;
    }
    if (!changed) return;
    this.state.messages.sort(byId);
    this.onChange();
  }
}
