/**
 * A service-management capability as the composition root sees it: REST routers under
 * `/api`, public pages, agent socket events, and a lifecycle. Each capability lives in a
 * folder of its own and is listed once in `capabilities.ts`.
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { AgentDoc } from './domain/agent';
import { Unauthorized } from './domain/errors';
import type { Models } from './domain/models';
import { AGENT_NS } from './realtime/rooms';

/** The signed-in agent behind a socket, read fresh (a disabled account is refused at once). */
export type CurrentAgent = () => Promise<AgentDoc>;

export interface Capability {
  /** Routers mounted under `/api`. */
  api?: Router[];
  /** Public pages outside the API, at their path. */
  pages?: [string, Router][];
  /** Registers the capability's events on a signed-in agent's socket. */
  agentSocket?(socket: Socket, me: CurrentAgent, log: Logger): void;
  start?(): void | Promise<void>;
  close?(): Promise<void>;
}

/** Gives every agent socket to the capabilities that listen on it (after the namespace's own authentication). */
export function mountAgentEvents(
  io: Server,
  models: Models,
  logger: Logger,
  capabilities: Capability[],
): void {
  const listeners = capabilities.filter((c) => c.agentSocket);
  if (listeners.length === 0) return;
  io.of(AGENT_NS).on('connection', (socket: Socket) => {
    const { agentId } = socket.data as { agentId: string };
    const log = logger.child({ agentId });
    const me: CurrentAgent = async () => {
      const a = await models.Agent.findById(agentId).lean<AgentDoc>();
      if (!a || !a.active) throw new Unauthorized('Your account is disabled.');
      return a;
    };
    for (const c of listeners) c.agentSocket!(socket, me, log);
  });
}
