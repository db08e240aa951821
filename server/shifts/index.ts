/**
 * Shifts and handover as a capability: the rota's REST API, `shift:mine` on the agent
 * socket (what the console needs at sign-in), and the watch over shift starts and ends.
 * The rota itself (who is on duty, staffed hours) is built by the composition root, since
 * routing and the channels' opening hours consult it.
 */
import type { Capability } from '../capability';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import type { Models } from '../domain/models';
import { handler } from '../realtime/ack';
import type { PresenceService } from '../routing/presence';
import type { Router } from '../routing/router';
import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import { z } from 'zod';
import { Handovers } from './handover';
import { mine, shiftsRouter } from './http';
import type { ShiftRota } from './rota';
import { ShiftWatch } from './watch';

export interface ShiftDeps {
  models: Models;
  access: AgentAccess;
  audit: StaffAudit;
  rota: ShiftRota;
  presence: PresenceService;
  router: Router;
  io: Server;
  config: { shiftCheckIntervalMs: number };
  logger: Logger;
}

export function createShifts(d: ShiftDeps): Capability {
  const handovers = new Handovers(d.models, d.rota);
  const watch = new ShiftWatch({ ...d, handovers, intervalMs: d.config.shiftCheckIntervalMs });
  return {
    api: [shiftsRouter(d.models, d.access, d.rota, handovers, d.audit)],
    agentSocket(socket, me, log) {
      const { agentId } = socket.data as { agentId: string };
      socket.on(
        'shift:mine',
        handler('shift:mine', z.object({}).strict(), async () => mine(d.rota, handovers, await me()), log, {
          agentId,
        }),
      );
    },
    start: () => watch.start(),
    close: async () => watch.stop(),
  };
}
