/**
 * What the channel conformance suite needs from each channel: its provider (or, for web
 * chat, the visitor's widget) driven from the outside, by the path the real one takes.
 */
import type { ChannelKind } from '../../../server/domain/types';
import type { TestGateway } from '../../harness/gateway';

/** A message as it reached the customer's side: the provider's record, or the widget's. */
export interface Reached {
  to: string;
  text: string;
  /** The provider's id for it; null where no provider stands between (web chat). */
  providerId: string | null;
}

/** One customer message the provider handed to the gateway, kept so it can hand it over again. */
export interface Delivered {
  from: string;
  text: string;
  /** The provider's id of the message (web chat: the widget's client id). */
  providerId: string;
}

/** A provider told to refuse sends to a customer for good (an opt-out, a blocked bot, an SMTP 5xx). */
export interface ProviderRefusal {
  refuse(to: string): void;
  /** Stops refusing, so that a retry of a refused send would be accepted and seen. */
  accept(to: string): void;
}

export interface ChannelDriver {
  readonly kind: ChannelKind;
  /** Starts what the driver's own suite hooks do not (inbox, stand-in), after those hooks ran. */
  start(): Promise<{ gw: TestGateway; inboxId: string }>;
  /** A new customer, by the address the channel stores for them (E.164, email, user id, visitor id). */
  customer(): Promise<string>;
  /** The provider hands the gateway one message from `from` by the channel's own path. */
  deliver(from: string, text: string): Promise<Delivered>;
  /** The provider hands the same message over again, as after a lost acknowledgement. */
  deliverAgain(d: Delivered): Promise<void>;
  /** Everything that reached customers so far, oldest first. */
  sent(): Reached[];
  /** The provider reports a sent message delivered (a no-op for providers that answer at once). */
  confirm(providerId: string): Promise<void>;
  /** How the provider refuses sends for good; null for a channel with no provider (web chat). */
  readonly refusal: ProviderRefusal | null;
  stop(): Promise<void>;
}
