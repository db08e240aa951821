/**
 * The realtime protocol shared by the server, the widget and the console: the views
 * sent over the wire and the typed Socket.IO event maps of both namespaces
 * (`/webchat` for visitors, `/agent` for agents). docs/protocol.md describes it for
 * integrators. Types only: no runtime code, so browser bundles can import it freely.
 */

export type ChannelKindView = 'webchat' | 'email' | 'sms' | 'telegram';
export type ConversationStatusView = 'queued' | 'assigned' | 'resolved';
export type PresenceView = 'online' | 'away' | 'offline';
export type RoleView = 'agent' | 'supervisor' | 'admin';
export type ClockKindView =
  | 'pickup'
  | 'reply'
  | 'resolution'
  | 'escalation'
  | 'complaint_acknowledgement'
  | 'complaint_solution'
  | 'complaint_follow_up';

export interface AttachmentView {
  name: string;
  contentType: string;
  size: number;
  url?: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  sender: { type: 'contact' | 'agent' | 'system'; id: string | null; name: string | null };
  private: boolean;
  automatic: boolean;
  text: string;
  attachments: AttachmentView[];
  clientId: string;
  channel: ChannelKindView;
  delivery: { status: string; error: string | null };
  createdAt: string;
  editedAt: string | null;
  readAt: string | null;
}

export interface ClockView {
  startedAt: string;
  dueAt: string;
  warnAt: string;
  targetMs: number;
  warnedAt: string | null;
  breachedAt: string | null;
  /** The target counts the inbox's opening hours only. */
  businessHours: boolean;
  /** The policy rule the target came from (a rule id, `inbox`, or `default:<rule>`). */
  policy: string | null;
}

export interface ConversationView {
  id: string;
  number: number;
  inboxId: string;
  contactId: string;
  contactName: string | null;
  channel: ChannelKindView;
  status: ConversationStatusView;
  assigneeId: string | null;
  teamId: string | null;
  priority: number;
  /** Category key (see GET /api/categories), or null while unclassified. */
  category: string | null;
  labels: string[];
  subject: string | null;
  queuedAt: string | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  lastMessageAt: string;
  /** The start of the newest public customer or agent message (one line, at most 140 characters), or null. */
  preview: { text: string; from: 'contact' | 'agent' } | null;
  pickupClock: ClockView | null;
  replyClock: ClockView | null;
  /** Every running clock by kind (pickup and reply included). */
  clocks: Partial<Record<ClockKindView, ClockView>>;
  replyBreaches: number;
  /** The customer's satisfaction rating (1–5) after the latest resolution, once answered. */
  csat: { rating: number; comment: string | null } | null;
}

/** A satisfaction survey as the widget shows it: asked after a resolution, answered once (then changeable). */
export interface SurveyView {
  surveyId: string;
  conversationId: string;
  question: string;
  /** 1–5 once answered, else null. */
  rating: number | null;
  comment: string | null;
  /** After this the survey takes no more answers. */
  expiresAt: string;
}

export interface OfferView {
  conversation: ConversationView;
  expiresAt: string;
}

export interface AgentView {
  id: string;
  email: string;
  name: string;
  role: RoleView;
  capacity: number;
  skills: string[];
  teamIds: string[];
  presence: PresenceView;
  /** Offered plus active seats. */
  load: number;
  /** False once an admin disabled the account (it cannot sign in). */
  active?: boolean;
}

export interface SlaAlertView {
  conversationId: string;
  clock: ClockKindView;
  kind: 'warning' | 'breach';
  dueAt: string;
  assigneeId: string | null;
  at: string;
  /** The conversation's number and contact, for the alert's label ("#12 Ana Li"). */
  number?: number;
  contactName?: string | null;
}

/** A complaint: a conversation with the complaint category (GET /api/conversations/:id/complaint). */
export interface ComplaintView {
  id: string;
  conversationId: string;
  contactId: string;
  status: 'open' | 'solution_proposed' | 'closed' | 'withdrawn';
  openedAt: string;
  solution: { text: string; messageId: string; agentId: string; at: string } | null;
  accepted: { at: string; messageId: string | null; by: 'agent' | 'customer' } | null;
  closedAt: string | null;
  closedBy: 'accepted' | 'follow_up' | null;
}

export type FollowUpReasonView = 'new_customer' | 'complaint' | 'at_risk' | 'manual';

/** A follow-up task (GET /api/followups). */
export interface FollowUpView {
  id: string;
  contactId: string;
  contactName: string | null;
  conversationId: string | null;
  reason: FollowUpReasonView;
  ownerAgentId: string | null;
  teamId: string | null;
  dueAt: string;
  overdue: boolean;
  status: 'open' | 'done' | 'cancelled';
  note: string | null;
  /** The conversation an agent started to make the follow-up, if any. */
  startedConversationId: string | null;
  outcome: {
    reached: boolean;
    satisfied: boolean | null;
    note: string;
    newConversationId: string | null;
  } | null;
  createdAt: string;
  doneAt: string | null;
}

/** A follow-up task reached its warning point or deadline. */
export interface FollowUpAlertView {
  task: FollowUpView;
  kind: 'warning' | 'overdue';
  at: string;
}

export interface VisitorStatusView {
  conversationId: string | null;
  status: ConversationStatusView | null;
  /** 1-based place in the queue while waiting. */
  queuePosition: number | null;
  pickupDueAt: string | null;
  agentName: string | null;
}

/** An inbox's opening hours as the widget shows them (times are local to `timeZone`). */
export interface OpeningHoursView {
  open: boolean;
  /** ISO instant of the next opening (now while open); null if it never opens again. */
  nextOpeningAt: string | null;
  /** IANA zone the weekly hours are given in. */
  timeZone: string;
  /** ISO weekday '1' (Monday) … '7' (Sunday) → open intervals `HH:MM`; `[]` is closed. */
  weekly: Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { open: string; close: string }[]>;
}

/** Reply of POST /channels/webchat/sessions: the visitor's session token and what the widget shows. */
export interface WebchatSessionView {
  token: string;
  visitorId: string;
  /** The site signed who the visitor is (the inbox's identity secret): the same contact on every device. */
  verified: boolean;
  conversationId: string | null;
  inbox: {
    name: string;
    preChat: {
      enabled: boolean;
      requireEmail: boolean;
      /** Categories the visitor may pick from before writing, in the inbox's order (absent: none). */
      categories?: { key: string; names: { en: string; zh: string } }[];
    };
    welcome: string | null;
    /**
     * Whether an agent of the inbox's team (any agent when it has none) is online and the
     * inbox is open now; otherwise the widget offers the offline form.
     */
    online: boolean;
    replyExpectation: string | null;
    pickupTargetMs: number | null;
    /** The inbox's opening hours; null when it runs around the clock. */
    hours: OpeningHoursView | null;
  };
}

/**
 * Every acknowledgement has this shape; `error.code` is stable, `error.message` is for people.
 * A `busy` answer carries `retryAfterMs`: resend (same clientId) no sooner than that.
 */
export type Ack<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; retryAfterMs?: number } };
export type AckFn<T> = (ack: Ack<T>) => void;

// ---- /webchat namespace (visitors) ----

export interface WebchatClientEvents {
  'message:send': (
    p: { clientId: string; text: string; attachments?: AttachmentView[] },
    ack: AckFn<MessageView>,
  ) => void;
  'history:get': (p: { after?: string; limit?: number }, ack: AckFn<MessageView[]>) => void;
  'status:get': (p: Record<string, never>, ack: AckFn<VisitorStatusView>) => void;
  typing: (p: { typing: boolean }) => void;
  'messages:read': (p: { upTo: string }, ack: AckFn<{ upTo: string }>) => void;
  /** The survey of the visitor's latest conversation still waiting for an answer, or null. */
  'survey:get': (p: Record<string, never>, ack: AckFn<SurveyView | null>) => void;
  /** Answers (or changes the answer to) a survey; sending the same answer again changes nothing. */
  'survey:answer': (
    p: { surveyId: string; rating: number; comment?: string },
    ack: AckFn<SurveyView>,
  ) => void;
  /** Accepts the solution last proposed to the visitor's complaint (after `complaint:solution`). */
  'complaint:accept': (p: Record<string, never>, ack: AckFn<{ conversationId: string }>) => void;
}

export interface WebchatServerEvents {
  message: (m: MessageView) => void;
  'message:updated': (m: MessageView) => void;
  typing: (p: { typing: boolean; agentName: string | null }) => void;
  'messages:read': (p: { upTo: string }) => void;
  status: (s: VisitorStatusView) => void;
  /** A conversation was resolved: the widget shows the rating (also sent again once answered, to every tab). */
  'survey:request': (s: SurveyView) => void;
  /** A solution to the visitor's complaint was proposed (in message `messageId`): the widget offers "Accept". */
  'complaint:solution': (p: { conversationId: string; messageId: string; text: string }) => void;
}

// ---- /agent namespace (agents, supervisors, admins) ----

export interface AgentClientEvents {
  'presence:set': (p: { presence: PresenceView }, ack: AckFn<AgentView>) => void;
  /** The agent's shifts, the presence their shift gives at sign-in, and the handover passed on to them. */
  'shift:mine': (p: Record<string, never>, ack: AckFn<ShiftsMineView>) => void;
  'queue:get': (p: Record<string, never>, ack: AckFn<ConversationView[]>) => void;
  'conversations:mine': (p: Record<string, never>, ack: AckFn<ConversationView[]>) => void;
  'conversation:get': (
    p: { conversationId: string },
    ack: AckFn<{ conversation: ConversationView; messages: MessageView[] }>,
  ) => void;
  'messages:since': (p: { conversationId: string; after?: string }, ack: AckFn<MessageView[]>) => void;
  'offer:accept': (p: { conversationId: string }, ack: AckFn<ConversationView>) => void;
  'offer:decline': (p: { conversationId: string }, ack: AckFn<{ conversationId: string }>) => void;
  'conversation:take': (p: { conversationId: string }, ack: AckFn<ConversationView>) => void;
  'message:send': (
    p: {
      conversationId: string;
      clientId: string;
      text: string;
      private?: boolean;
      attachments?: AttachmentView[];
    },
    ack: AckFn<MessageView>,
  ) => void;
  typing: (p: { conversationId: string; typing: boolean }) => void;
  'messages:read': (p: { conversationId: string; upTo: string }, ack: AckFn<{ upTo: string }>) => void;
  'conversation:transfer': (
    p: { conversationId: string; toAgentId?: string; toTeamId?: string; note?: string },
    ack: AckFn<ConversationView>,
  ) => void;
  'conversation:resolve': (p: { conversationId: string }, ack: AckFn<ConversationView>) => void;
  'conversation:reopen': (p: { conversationId: string }, ack: AckFn<ConversationView>) => void;
  /** Changes the category (a key, or null), the labels (the whole list) and/or the priority (0–3). */
  'conversation:classify': (
    p: { conversationId: string; category?: string | null; labels?: string[]; priority?: number },
    ack: AckFn<ConversationView>,
  ) => void;
  'conversation:escalate': (
    p: { conversationId: string; note?: string },
    ack: AckFn<ConversationView>,
  ) => void;
  /** Records the solution proposed to a complaint; the text goes to the customer as a reply. */
  'complaint:solution': (
    p: { conversationId: string; text: string; clientId?: string },
    ack: AckFn<ComplaintView>,
  ) => void;
  /** Starts a conversation with a contact on an inbox (see POST /api/conversations). */
  'conversation:start': (
    p: { contactId: string; inboxId: string; text: string; subject?: string; clientId?: string },
    ack: AckFn<ConversationView>,
  ) => void;
  'supervisor:snapshot': (
    p: Record<string, never>,
    ack: AckFn<{
      agents: AgentView[];
      queue: ConversationView[];
      alerts: SlaAlertView[];
      /** Every breach since midnight (the default calendar's time zone), newest first, resolved ones too. */
      breachesToday?: SlaAlertView[];
    }>,
  ) => void;
}

export interface AgentServerEvents {
  offer: (o: OfferView) => void;
  'offer:revoked': (p: {
    conversationId: string;
    reason: 'expired' | 'taken' | 'resolved' | 'returned';
  }) => void;
  'queue:updated': (q: ConversationView[]) => void;
  'conversation:updated': (c: ConversationView) => void;
  message: (m: MessageView) => void;
  'message:updated': (m: MessageView) => void;
  typing: (p: {
    conversationId: string;
    typing: boolean;
    by: 'contact' | 'agent';
    name: string | null;
  }) => void;
  'sla:warning': (a: SlaAlertView) => void;
  'sla:breach': (a: SlaAlertView) => void;
  'agent:updated': (a: AgentView) => void;
  'complaint:updated': (c: ComplaintView) => void;
  'followup:updated': (t: FollowUpView) => void;
  'followup:warning': (a: FollowUpAlertView) => void;
  'followup:overdue': (a: FollowUpAlertView) => void;
}

/** A shift as `GET /api/shifts` and `shift:mine` show it (docs/api.md §19). */
export interface ShiftView {
  id: string;
  teamId: string;
  name: string;
  agentIds: string[];
  timeZone: string;
  weekly: Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { open: string; close: string }[]>>;
  offDays: ShiftDayView[];
  dutyDays: ShiftDayView[];
  running: { startsAt: string; endsAt: string } | null;
  nextStartAt: string | null;
}

export interface ShiftDayView {
  date: string;
  name?: string;
  hours?: { open: string; close: string }[];
}

/** The note a shift left for the next one, with what of its work is still open. */
export interface HandoverView {
  shiftId: string;
  shiftName: string | null;
  teamId: string;
  startsAt: string;
  endsAt: string;
  note: string;
  noteBy: string | null;
  noteAt: string | null;
  handedOverAt: string | null;
  conversations: ConversationView[];
  followUps: {
    id: string;
    reason: string;
    contactId: string;
    contactName: string | null;
    conversationId: string | null;
    ownerAgentId: string | null;
    dueAt: string;
    overdue: boolean;
    note: string | null;
  }[];
}

/** What `shift:mine` and `GET /api/shifts/mine` answer. */
export interface ShiftsMineView {
  onRota: boolean;
  onDuty: boolean;
  presence: 'online' | 'away';
  shifts: ShiftView[];
  handover: HandoverView | null;
}
