/** Writes the staff audit log. A failed write is logged, never thrown at the action it records. */
import type { Request } from 'express';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../domain/models';
import type { StaffAuditEntryDoc } from './model';

export interface AuditRecord {
  actorId: string | null;
  action: string;
  target?: { kind: string; id: string } | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export class StaffAudit {
  constructor(
    private readonly models: Models,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  async record(r: AuditRecord): Promise<void> {
    try {
      await this.models.StaffAuditEntry.create({
        at: this.now(),
        actorId: r.actorId && Types.ObjectId.isValid(r.actorId) ? new Types.ObjectId(r.actorId) : null,
        action: r.action,
        target: r.target ?? null,
        ip: r.ip ?? null,
        details: r.details ?? {},
      } satisfies Omit<StaffAuditEntryDoc, '_id'>);
    } catch (err) {
      this.logger.error({ err, action: r.action }, 'audit entry not written');
    }
  }

  /** Records what the signed-in agent of `req` did, from the request's address. */
  byRequest(req: Request, r: Omit<AuditRecord, 'actorId' | 'ip'>): Promise<void> {
    const agent = (req as Request & { agent?: { agentId: string } }).agent;
    return this.record({ ...r, actorId: agent?.agentId ?? null, ip: req.ip ?? null });
  }
}
