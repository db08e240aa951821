/** Product vocabulary shared by the core, the channels, the widget and the console. */
export const CHANNEL_KINDS = ['webchat', 'email', 'sms', 'telegram'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

export type ConversationStatus = 'queued' | 'assigned' | 'resolved';

/** 0 low, 1 normal, 2 high, 3 urgent. Higher is served first. */
export type Priority = 0 | 1 | 2 | 3;
export const PRIORITY_NAMES = ['low', 'normal', 'high', 'urgent'] as const;

/** The clocks the engine runs (one row each in server/sla/catalogue.ts). */
export const CLOCK_KINDS = [
  'pickup',
  'reply',
  'resolution',
  'escalation',
  'complaint_acknowledgement',
  'complaint_solution',
  'complaint_follow_up',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** Every clock a policy can set a target for: each clock of the catalogue. */
export const TARGET_KINDS = CLOCK_KINDS;
export type TargetKind = ClockKind;

export const TEAM_TIERS = ['first', 'second'] as const;
export type TeamTier = (typeof TEAM_TIERS)[number];

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export type DeliveryStatus =
  'received' | 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

export interface Attachment {
  name: string;
  contentType: string;
  size: number;
  /** Where the console or widget can fetch it (an API path or the provider's URL). */
  url?: string;
  /** GridFS file id when the bytes are stored by Switchboard. */
  fileId?: string;
}
