/**
 * Notifier: turns state changes into Socket.IO events for agents and supervisors, and
 * into customer-facing notices for the conversation's channel. Through the Redis
 * adapter an event emitted here reaches sockets held by any gateway process. Audiences
 * follow the access model (server/access/audience.ts): a team's conversations reach its
 * people, admins and whoever holds or watches them.
 */
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { AgentServerEvents, ConversationView, SlaAlertView } from '../../shared/protocol';
import type { ContactDirectory } from '../cache/contacts';
import type { AgentDoc } from '../domain/agent';
import type { CustomerNotice } from '../domain/channel';
import type { ConversationDoc } from '../domain/conversation';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import { agentView, conversationView, messageView } from '../domain/views';
import { aboutConversation, colleaguesOf, overseersOf, teamsOfQueueKey } from '../access/audience';
import { inTeams } from '../access/rules';
import { AGENT_NS, rooms } from './rooms';

const QUEUE_AUDIENCE = 'queue:audience';
const QUEUE_AUDIENCES = 'queue:audiences';

type AgentEmit = <E extends keyof AgentServerEvents>(
  targets: string[],
  event: E,
  ...args: Parameters<AgentServerEvents[E]>
) => void;

/** How much of the queue one pass reads: what agents see of it, and the places it tells. */
const QUEUE_READ = 500;

export class Notifier {
  private queueTimer: NodeJS.Timeout | null = null;
  /** The next pass broadcasts the queue to its audiences. */
  private broadcastOwed = false;
  /** Per team ('' for the shared queue): whose place in line the next pass tells, or everyone's. */
  private readonly placesOwed = new Map<string, Set<string> | 'all'>();
  /** The place this process last told each waiting customer, by team: a changed place is told again. */
  private readonly placesTold = new Map<string, Map<string, number>>();
  private readonly messageListeners: ((msg: MessageDoc, conv: ConversationDoc) => void)[] = [];
  /** The queue audiences (admins, or one set of teams) signed in on any process. */
  private readonly queueKeys = new Set<string>(['*']);

  constructor(
    private readonly io: Server,
    private readonly models: Models,
    private readonly contacts: Pick<ContactDirectory, 'nameOf' | 'namesOf'>,
    private readonly logger: Logger,
    private readonly customerNotice: (notice: CustomerNotice) => Promise<void>,
  ) {
    io.on(QUEUE_AUDIENCE, (key: unknown) => {
      if (typeof key === 'string') this.queueKeys.add(key);
    });
    io.on(QUEUE_AUDIENCES, (reply: unknown) => {
      if (typeof reply === 'function') (reply as (keys: string[]) => void)([...this.queueKeys]);
    });
  }

  private emit: AgentEmit = (targets, event, ...args) => {
    if (targets.length === 0) return;
    this.io
      .of(AGENT_NS)
      .to(targets)
      .emit(event, ...args);
  };

  /** The conversation as agents see it, named after its contact. */
  async view(conv: ConversationDoc): Promise<ConversationView> {
    return conversationView(conv, await this.contacts.nameOf(conv.contactId));
  }

  /** The conversation changed state: tell its agent, watchers, supervisors, the queue and the customer. */
  async conversationChanged(
    conv: ConversationDoc,
    opts: {
      customer?: boolean;
      /** false: its place in the queue did not change (default: it may have). */
      queue?: boolean;
      /** The contact's display name when the caller has it (saves a read). */
      contactName?: string | null;
      /** The assignee's name when the caller has it (saves the customer side a read). */
      agentName?: string | null;
    } = {},
  ): Promise<void> {
    const view =
      opts.contactName !== undefined ? conversationView(conv, opts.contactName) : await this.view(conv);
    this.emit(aboutConversation(conv), 'conversation:updated', view);
    if (opts.queue !== false) this.queueChanged();
    if (opts.customer === false) return;
    // A waiting customer's status carries their place in line: the next queue pass tells it.
    if (conv.status === 'queued') this.owePlaces(conv, String(conv._id));
    else
      await this.safeNotice({
        type: 'status',
        conversation: conv,
        ...(opts.agentName !== undefined ? { known: { agentName: opts.agentName } } : {}),
      });
  }

  /** A conversation left its queue: the customers still waiting in it moved up and are told so. */
  queueAdvanced(left: Pick<ConversationDoc, 'teamId'>): void {
    this.owePlaces(left, 'all');
  }

  private owePlaces(conv: Pick<ConversationDoc, 'teamId'>, who: string | 'all'): void {
    const team = conv.teamId ? String(conv.teamId) : '';
    const owed = this.placesOwed.get(team);
    if (who === 'all' || owed === 'all') this.placesOwed.set(team, 'all');
    else this.placesOwed.set(team, (owed ?? new Set<string>()).add(who));
    this.schedulePass();
  }

  /**
   * Queue changes, arrivals and departures within 100 ms share one pass and one read of the
   * queue: it broadcasts the queue and tells waiting customers their places.
   */
  private schedulePass(): void {
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = null;
      this.queuePass().catch((err: unknown) => this.logger.error({ err }, 'queue update failed'));
    }, 100);
    this.queueTimer.unref();
  }

  private async queuePass(): Promise<void> {
    const broadcast = this.broadcastOwed;
    const owed = new Map(this.placesOwed);
    this.broadcastOwed = false;
    this.placesOwed.clear();
    const queued = await this.readQueue({ status: 'queued' });
    if (broadcast) await this.broadcastQueue(queued);
    for (const [team, who] of owed) await this.tellPlaces(queued, team, who);
  }

  /** Each waiting customer's place in line is 1 + those ahead of them in their queue (ties share a place). */
  private async tellPlaces(queued: ConversationDoc[], team: string, who: Set<string> | 'all'): Promise<void> {
    let waiting = queued.filter((c) => (c.teamId ? String(c.teamId) : '') === team);
    let partial = queued.length === QUEUE_READ;
    // When other queues fill the read, the first 100 of this one are read for themselves.
    if (partial && waiting.length < 100) {
      waiting = await this.readQueue({ status: 'queued', teamId: team || null }, 100);
      partial = waiting.length === 100;
    }
    // A customer told a place before is told again when theirs changed (one who arrived
    // earlier was stored later, or someone ahead left), so no place told goes stale.
    const told = this.placesTold.get(team) ?? new Map<string, number>();
    const seen = new Map<string, number>();
    let place = 0;
    for (const [i, conversation] of waiting.entries()) {
      if (i >= 100 && (who === 'all' || who.size === 0)) break;
      const prev = waiting[i - 1];
      const tied =
        prev?.priority === conversation.priority &&
        new Date(prev.queuedAt ?? 0).getTime() === new Date(conversation.queuedAt ?? 0).getTime();
      if (!tied) place = i + 1;
      const id = String(conversation._id);
      const before = told.get(id);
      const owed = who === 'all' || who.delete(id);
      if (i < 100 && (before !== undefined || owed)) seen.set(id, place);
      if (!owed && (before === undefined || before === place)) continue;
      await this.safeNotice({ type: 'status', conversation, known: { queuePosition: place } });
    }
    if (seen.size > 0) this.placesTold.set(team, seen);
    else this.placesTold.delete(team);
    // Past what was read, a newcomer's place is counted for them alone.
    if (!partial || who === 'all' || who.size === 0) return;
    const rest = await this.models.Conversation.find({ _id: { $in: [...who] }, status: 'queued' }).lean<
      ConversationDoc[]
    >();
    for (const conversation of rest) await this.safeNotice({ type: 'status', conversation });
  }

  /** Told of every message stored or changed, in process (e.g. the search index); must not throw or wait. */
  onMessage(fn: (msg: MessageDoc, conv: ConversationDoc) => void): void {
    this.messageListeners.push(fn);
  }

  /** A message was stored (inbound, reply, note): agents see it; the customer side is the channel's job. */
  messageStored(msg: MessageDoc, conv: ConversationDoc): void {
    const view = messageView(msg, conv.channel);
    const targets = [rooms.conversation(view.conversationId)];
    if (conv.assigneeId) targets.push(rooms.agent(String(conv.assigneeId)));
    this.emit(targets, 'message', view);
    for (const fn of this.messageListeners) fn(msg, conv);
  }

  messageUpdated(msg: MessageDoc, conv: ConversationDoc): void {
    for (const fn of this.messageListeners) fn(msg, conv);
    const view = messageView(msg, conv.channel);
    const targets = [rooms.conversation(view.conversationId)];
    if (conv.assigneeId) targets.push(rooms.agent(String(conv.assigneeId)));
    this.emit(targets, 'message:updated', view);
    if (msg.direction === 'out' && !msg.private) {
      void this.safeNotice({ type: 'message:updated', conversation: conv, message: msg });
    }
  }

  async offer(agentId: string, conv: ConversationDoc, expiresAt: Date): Promise<void> {
    const view = await this.view(conv);
    this.emit([rooms.agent(agentId)], 'offer', { conversation: view, expiresAt: expiresAt.toISOString() });
  }

  offerRevoked(
    agentId: string,
    conversationId: string,
    reason: 'expired' | 'taken' | 'resolved' | 'returned',
  ): void {
    this.emit([rooms.agent(agentId)], 'offer:revoked', { conversationId, reason });
  }

  slaAlert(conv: Pick<ConversationDoc, '_id' | 'teamId' | 'assigneeId'>, alert: SlaAlertView): void {
    this.emit(aboutConversation(conv), alert.kind === 'warning' ? 'sla:warning' : 'sla:breach', alert);
  }

  /** An event about one conversation: its watchers, its agent and its team's supervisors. */
  aboutConversation<E extends keyof AgentServerEvents>(
    conv: Pick<ConversationDoc, '_id' | 'teamId' | 'assigneeId'>,
    event: E,
    ...args: Parameters<AgentServerEvents[E]>
  ): void {
    this.emit(aboutConversation(conv), event, ...args);
  }

  /** An event for some agents and the supervisors of a team (follow-up tasks and their alerts). */
  toStaff<E extends keyof AgentServerEvents>(
    agentIds: string[],
    teamId: ConversationDoc['teamId'],
    event: E,
    ...args: Parameters<AgentServerEvents[E]>
  ): void {
    this.emit([...overseersOf(teamId), ...agentIds.map(rooms.agent)], event, ...args);
  }

  /** The customer may accept a proposed solution where the channel can offer it (the widget's button). */
  async solutionProposed(conv: ConversationDoc, message: MessageDoc): Promise<void> {
    await this.safeNotice({ type: 'solution', conversation: conv, message });
  }

  agentChanged(agent: AgentDoc, load: number): void {
    // Colleagues see each other's presence and load (the transfer picker); admins the floor.
    this.emit(colleaguesOf(agent), 'agent:updated', agentView(agent, load));
  }

  typing(
    conv: ConversationDoc,
    by: 'contact' | 'agent',
    typing: boolean,
    name: string | null,
    exceptAgent?: string,
  ) {
    const id = String(conv._id);
    const targets = [rooms.conversation(id)];
    if (conv.assigneeId && String(conv.assigneeId) !== exceptAgent)
      targets.push(rooms.agent(String(conv.assigneeId)));
    this.emit(targets, 'typing', { conversationId: id, typing, by, name });
    if (by === 'agent') void this.safeNotice({ type: 'typing', conversation: conv, typing, agentName: name });
  }

  readByAgent(conv: ConversationDoc, upTo: string): void {
    void this.safeNotice({ type: 'read', conversation: conv, upTo });
  }

  /** Coalesces queue changes into one `queue:updated` broadcast per 100 ms. */
  queueChanged(): void {
    this.broadcastOwed = true;
    this.schedulePass();
  }

  /** The queue as a scope sees it (null: all of it). */
  async queueViews(teamIds: string[] | null = null) {
    return this.views(
      await this.readQueue(
        teamIds ? { status: 'queued', teamId: { $in: [null, ...teamIds] } } : { status: 'queued' },
      ),
    );
  }

  /** Queued conversations in the order they are served: priority, then first come. */
  private readQueue(filter: Record<string, unknown>, limit = QUEUE_READ): Promise<ConversationDoc[]> {
    return this.models.Conversation.find(filter)
      .sort({ priority: -1, queuedAt: 1 })
      .limit(limit)
      .lean<ConversationDoc[]>()
      .exec();
  }

  private async views(queued: ConversationDoc[]): Promise<ConversationView[]> {
    const names = await this.contacts.namesOf(queued.map((c) => c.contactId));
    return queued.map((c) => conversationView(c, names.get(String(c.contactId)) ?? null));
  }

  /** One broadcast per queue audience signed in on any process (queue:updated is the whole visible queue). */
  private async broadcastQueue(queued: ConversationDoc[]): Promise<void> {
    const all = await this.views(queued);
    for (const key of this.queueKeys) {
      const teams = teamsOfQueueKey(key);
      const scope = {
        agentId: '',
        role: teams ? ('agent' as const) : ('admin' as const),
        teamIds: teams ?? [],
      };
      this.emit(
        [rooms.queue(key)],
        'queue:updated',
        all.filter((c) => inTeams(scope, c.teamId)),
      );
    }
  }

  /**
   * A socket of this queue audience signed in here: this process and (through the adapter)
   * the others broadcast to it from now on. The set only grows; an audience nobody is in
   * any more costs an emit to an empty room.
   */
  queueAudience(key: string): void {
    if (this.queueKeys.has(key)) return;
    this.queueKeys.add(key);
    this.io.serverSideEmit(QUEUE_AUDIENCE, key);
  }

  /** A process that starts learns the audiences the others already broadcast to. */
  learnQueueAudiences(): void {
    this.io.serverSideEmitWithAck(QUEUE_AUDIENCES).then(
      (replies: unknown[]) => {
        for (const list of replies)
          if (Array.isArray(list))
            for (const key of list) if (typeof key === 'string') this.queueKeys.add(key);
      },
      (err: unknown) => this.logger.debug({ err }, 'not every process told its queue audiences'),
    );
  }

  private async safeNotice(notice: CustomerNotice): Promise<void> {
    try {
      await this.customerNotice(notice);
    } catch (err) {
      this.logger.warn({ err, conversationId: String(notice.conversation._id) }, 'customer notice failed');
    }
  }

  close(): void {
    if (this.queueTimer) clearTimeout(this.queueTimer);
    this.queueTimer = null;
    this.placesOwed.clear();
    this.placesTold.clear();
  }
}
