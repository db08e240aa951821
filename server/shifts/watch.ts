/**
 * Shift changes as they happen: each check (SHIFT_CHECK_INTERVAL_MS) finds the shifts that
 * started or ended since the last one. An ended shift hands over; its agents who are
 * online and on no other running shift become away (they keep their conversations and get
 * no new offers). A started shift puts its signed-in agents online.
 */
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { Models } from '../domain/models';
import { AGENT_NS, rooms } from '../realtime/rooms';
import type { PresenceService } from '../routing/presence';
import type { Router } from '../routing/router';
import type { Handovers } from './handover';
import { occurrence, type ShiftRota } from './rota';

export class ShiftWatch {
  /** The running occurrence's start by shift as last seen (null: not running). */
  private readonly seen = new Map<string, number | null>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly d: {
      models: Models;
      rota: ShiftRota;
      handovers: Handovers;
      presence: PresenceService;
      router: Router;
      io: Server;
      intervalMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.check()
        .catch((err: unknown) => this.d.logger.error({ err }, 'shift check failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.d.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.d.intervalMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    const now = this.d.rota.now();
    const shifts = await this.d.rota.shifts();
    let changed = false;
    for (const { doc, time } of shifts) {
      const id = String(doc._id);
      const occ = occurrence(time, now);
      const current = occ ? occ.startsAt.getTime() : null;
      const before = this.seen.get(id);
      this.seen.set(id, current);
      if (before === undefined || before === current) continue;
      changed = true;
      if (before !== null) {
        const ended = occurrence(time, new Date(before)) ?? { startsAt: new Date(before), endsAt: now };
        await this.d.handovers.handOver(doc, ended, now);
        await this.leaving(doc.agentIds.map(String));
      }
      if (current !== null) await this.arriving(doc.agentIds.map(String));
    }
    if (changed) this.d.router.dispatch();
  }

  private async leaving(agentIds: string[]): Promise<void> {
    for (const id of agentIds) {
      const agent = await this.d.models.Agent.findById(id, { presence: 1 }).lean();
      if (agent?.presence !== 'online' || (await this.d.rota.dutyOf(id)).onDuty) continue;
      await this.d.presence.set(id, 'away');
    }
  }

  private async arriving(agentIds: string[]): Promise<void> {
    for (const id of agentIds) {
      const agent = await this.d.models.Agent.findById(id, { presence: 1, active: 1 }).lean();
      if (!agent?.active || agent.presence === 'online') continue;
      const signedIn = await this.d.io.of(AGENT_NS).in(rooms.agent(id)).fetchSockets();
      if (signedIn.length > 0) await this.d.presence.set(id, 'online');
    }
  }
}
