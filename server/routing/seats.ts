/**
 * Seats: claims and releases of agents' capacity (see domain/assignment.ts). A claim
 * inserts into a free slot; the unique indexes decide every race, so no conversation
 * is held twice and no agent holds more than their capacity, on any number of processes.
 */
import type { Types } from 'mongoose';
import type { AssignmentDoc } from '../domain/assignment';
import { AgentAtCapacity, AlreadyAssigned } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';

export class Seats {
  constructor(private readonly models: Models) {}

  /**
   * Claims a seat of `agentId` for the conversation. Throws AgentAtCapacity when every
   * slot is taken and AlreadyAssigned when the conversation already holds a seat. The seat
   * comes with the agent's load as the claim found it, this seat included.
   */
  async claim(
    agentId: Types.ObjectId,
    capacity: number,
    conversationId: Types.ObjectId,
    state: 'offered' | 'active',
    expiresAt: Date | null = null,
    /** The agent's taken slots when the caller has just read them (see `around`). */
    known?: Set<number>,
  ): Promise<AssignmentDoc & { load: number }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const used =
        attempt === 0 && known
          ? known
          : new Set((await this.models.Assignment.find({ agentId }, { slot: 1 }).lean()).map((a) => a.slot));
      const free = [...Array(capacity).keys()].filter((s) => !used.has(s));
      if (free.length === 0) throw new AgentAtCapacity();
      for (const slot of free) {
        const now = new Date();
        try {
          const doc = await this.models.Assignment.create({
            conversationId,
            agentId,
            slot,
            state,
            offeredAt: state === 'offered' ? now : null,
            expiresAt,
            acceptedAt: state === 'active' ? now : null,
          });
          return { ...doc.toObject(), load: used.size + 1 };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const holder = await this.models.Assignment.findOne({ conversationId }).lean();
          if (holder) throw new AlreadyAssigned();
          // That slot was taken meanwhile: try the next free one.
        }
      }
    }
    throw new AgentAtCapacity();
  }

  /** The conversation's seat and the slots the agent holds besides it, in one read. */
  async around(
    conversationId: Types.ObjectId,
    agentId: Types.ObjectId,
  ): Promise<{ seat: AssignmentDoc | null; used: Set<number> }> {
    const found = await this.models.Assignment.find({ $or: [{ conversationId }, { agentId }] }).lean<
      AssignmentDoc[]
    >();
    const seat = found.find((a) => String(a.conversationId) === String(conversationId)) ?? null;
    const used = new Set(
      found.filter((a) => a !== seat && String(a.agentId) === String(agentId)).map((a) => a.slot),
    );
    return { seat, used };
  }

  async of(conversationId: Types.ObjectId): Promise<AssignmentDoc | null> {
    return this.models.Assignment.findOne({ conversationId }).lean<AssignmentDoc>();
  }

  async release(conversationId: Types.ObjectId): Promise<AssignmentDoc | null> {
    const seat = await this.of(conversationId);
    if (seat) await this.models.Assignment.deleteOne({ _id: seat._id });
    return seat;
  }

  /** Puts a released seat back exactly as it was (undoing a failed transfer). */
  async restore(seat: AssignmentDoc): Promise<void> {
    const { _id: _ignored, ...rest } = seat;
    await this.models.Assignment.create(rest).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  }

  async activate(seat: AssignmentDoc): Promise<void> {
    await this.models.Assignment.updateOne(
      { _id: seat._id },
      { $set: { state: 'active', acceptedAt: new Date(), expiresAt: null } },
    );
  }

  /** Offered plus active seats per agent. */
  async loads(agentIds: Types.ObjectId[]): Promise<Map<string, number>> {
    const seats = await this.models.Assignment.find({ agentId: { $in: agentIds } }, { agentId: 1 }).lean();
    const loads = new Map<string, number>();
    for (const s of seats) loads.set(String(s.agentId), (loads.get(String(s.agentId)) ?? 0) + 1);
    return loads;
  }

  async loadOf(agentId: Types.ObjectId): Promise<number> {
    return this.models.Assignment.countDocuments({ agentId });
  }

  /** Which of these conversations hold a seat (offered or active), by id. */
  async held(conversationIds: Types.ObjectId[]): Promise<Set<string>> {
    const seats = await this.models.Assignment.find(
      { conversationId: { $in: conversationIds } },
      { conversationId: 1 },
    ).lean();
    return new Set(seats.map((s) => String(s.conversationId)));
  }
}
