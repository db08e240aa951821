/**
 * Handovers: during a shift its agents (or a supervisor) write the note for the next
 * shift; when the shift ends, the team's open conversations and its follow-ups that are
 * overdue or due within a day are passed on with it. The next shift reads the latest
 * handover of its teams on sign-in.
 */
import { Types } from 'mongoose';
import type { AgentDoc } from '../domain/agent';
import type { ConversationDoc } from '../domain/conversation';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import { isDuplicateKey, type Models } from '../domain/models';
import { conversationView } from '../domain/views';
import type { FollowUpTaskDoc } from '../followups/model';
import type { HandoverDoc, ShiftDoc } from './model';
import { occurrence, type ShiftRota } from './rota';

/** Follow-ups due within this time of a shift's end are passed on with it. */
export const DUE_WITHIN_MS = 86_400_000;

export class Handovers {
  constructor(
    private readonly models: Models,
    private readonly rota: ShiftRota,
  ) {}

  /** Writes the note of the shift's running occurrence. */
  async write(by: AgentDoc, shiftId: string, note: string): Promise<HandoverDoc> {
    const shift = (await this.rota.shifts()).find((s) => String(s.doc._id) === shiftId);
    if (!shift) throw new NotFound('Shift');
    const onIt = shift.doc.agentIds.some((id) => id.equals(by._id));
    if (by.role === 'agent' && !onIt)
      throw new Forbidden('Only the agents of this shift write its handover.');
    const now = this.rota.now();
    const occ = occurrence(shift.time, now);
    if (!occ) throw new Conflict('shift_not_running', 'This shift is not running now.');
    const doc = await this.upsert(shift.doc, occ, {
      note,
      noteBy: by._id,
      noteAt: now,
    });
    return doc;
  }

  /** The shift's occurrence ended: its work is passed on (once, whichever process sees it first). */
  async handOver(shift: ShiftDoc, occ: { startsAt: Date; endsAt: Date }, at: Date): Promise<boolean> {
    const team = await this.models.Agent.find({ teamIds: shift.teamId }, { _id: 1 }).lean();
    const [open, due] = await Promise.all([
      this.models.Conversation.find({ teamId: shift.teamId, status: { $ne: 'resolved' } }, { _id: 1 })
        .limit(500)
        .lean(),
      this.models.FollowUpTask.find(
        {
          status: 'open',
          dueAt: { $lte: new Date(at.getTime() + DUE_WITHIN_MS) },
          $or: [{ teamId: shift.teamId }, { ownerAgentId: { $in: team.map((a) => a._id) } }],
        },
        { _id: 1 },
      )
        .limit(500)
        .lean(),
    ]);
    try {
      await this.models.Handover.updateOne(
        { shiftId: shift._id, startsAt: occ.startsAt, handedOverAt: null },
        {
          $set: {
            teamId: shift.teamId,
            endsAt: occ.endsAt,
            handedOverAt: at,
            conversationIds: open.map((c) => c._id),
            followUpIds: due.map((t) => t._id),
          },
        },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  private async upsert(
    shift: ShiftDoc,
    occ: { startsAt: Date; endsAt: Date },
    set: Partial<HandoverDoc>,
  ): Promise<HandoverDoc> {
    const filter = { shiftId: shift._id, startsAt: occ.startsAt };
    const update = { $set: { ...set, teamId: shift.teamId, endsAt: occ.endsAt } };
    try {
      return (await this.models.Handover.findOneAndUpdate(filter, update, {
        upsert: true,
        new: true,
      }).lean<HandoverDoc>())!;
    } catch (err) {
      // Two writers created it at once: the loser updates the one that won.
      if (!isDuplicateKey(err)) throw err;
      return (await this.models.Handover.findOneAndUpdate(filter, update, {
        new: true,
      }).lean<HandoverDoc>())!;
    }
  }

  /** The latest handover passed on to an agent's teams, with what is still open of it. */
  async latestFor(agent: AgentDoc) {
    const h = await this.models.Handover.findOne({
      teamId: { $in: agent.teamIds },
      handedOverAt: { $ne: null },
    })
      .sort({ endsAt: -1 })
      .lean<HandoverDoc>();
    return h ? this.view(h) : null;
  }

  async view(h: HandoverDoc) {
    const [shift, author, conversations, followUps] = await Promise.all([
      this.models.Shift.findById(h.shiftId, { name: 1 }).lean<Pick<ShiftDoc, 'name'>>(),
      h.noteBy ? this.models.Agent.findById(h.noteBy, { name: 1 }).lean<Pick<AgentDoc, 'name'>>() : null,
      this.models.Conversation.find({ _id: { $in: h.conversationIds }, status: { $ne: 'resolved' } })
        .sort({ priority: -1, lastMessageAt: 1 })
        .lean<ConversationDoc[]>(),
      this.models.FollowUpTask.find({ _id: { $in: h.followUpIds }, status: 'open' })
        .sort({ dueAt: 1 })
        .lean<FollowUpTaskDoc[]>(),
    ]);
    const names = new Map(
      (
        await this.models.Contact.find(
          { _id: { $in: [...conversations, ...followUps].map((x) => x.contactId) } },
          { name: 1, email: 1, phone: 1 },
        ).lean()
      ).map((c) => [String(c._id), c.name ?? c.email ?? c.phone ?? null]),
    );
    return {
      shiftId: String(h.shiftId),
      shiftName: shift?.name ?? null,
      teamId: String(h.teamId),
      startsAt: h.startsAt.toISOString(),
      endsAt: h.endsAt.toISOString(),
      note: h.note,
      noteBy: author?.name ?? null,
      noteAt: h.noteAt ? h.noteAt.toISOString() : null,
      handedOverAt: h.handedOverAt ? h.handedOverAt.toISOString() : null,
      conversations: conversations.map((c) => conversationView(c, names.get(String(c.contactId)) ?? null)),
      followUps: followUps.map((t) => ({
        id: String(t._id),
        reason: t.reason,
        contactId: String(t.contactId),
        contactName: names.get(String(t.contactId)) ?? null,
        conversationId: t.conversationId ? String(t.conversationId) : null,
        ownerAgentId: t.ownerAgentId ? String(t.ownerAgentId) : null,
        dueAt: t.dueAt.toISOString(),
        overdue: t.dueAt.getTime() <= this.rota.now().getTime(),
        note: t.note,
      })),
    };
  }
}

export const asObjectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));
