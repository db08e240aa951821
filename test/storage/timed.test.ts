/**
 * The sweeps find due documents by `timed` and `timedSlot`, which follow `nextClockAt` on
 * every write through the model; documents stored without them are marked at start. A
 * sweep reads the slots up to the present by equality, and every running document only
 * at its first read, after its clock jumps, and every `DEEP_EVERY_MS`.
 */
import { Schema, Types } from 'mongoose';
import {
  DEEP_EVERY_MS,
  DueDocuments,
  markTimed,
  SLOT_MS,
  slotOf,
  timedFlag,
} from '../../server/storage/timed';
import { createDesk, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

const timed = async (id: Types.ObjectId) => {
  const d = await gw.models.Conversation.collection.findOne(
    { _id: id },
    { projection: { timed: 1, timedSlot: 1, nextClockAt: 1 } },
  );
  // The slot always matches the instant.
  expect(d?.timedSlot ?? null).toBe(slotOf(d?.nextClockAt));
  return d?.timed;
};

async function conversation(nextClockAt: Date | null) {
  const { inbox } = await createDesk(gw);
  const c = await gw.models.Conversation.create({
    inboxId: inbox._id,
    contactId: new Types.ObjectId(),
    channel: 'webchat',
    status: 'queued',
    liveKey: `timed:${String(new Types.ObjectId())}`,
    number: 800_000 + Math.floor(Math.random() * 100_000),
    queuedAt: new Date(),
    lastMessageAt: new Date(),
    nextClockAt,
  });
  return c._id;
}

// Instants ahead, so that the gateway's own sweep leaves the conversation alone.
it('keeps the flag true exactly while an instant is pending, through every kind of update', async () => {
  const id = await conversation(new Date(Date.now() + 60_000));
  expect(await timed(id)).toBe(true);
  await gw.models.Conversation.updateOne({ _id: id }, { $set: { nextClockAt: null } });
  expect(await timed(id)).toBe(false);
  await gw.models.Conversation.findOneAndUpdate(
    { _id: id },
    { $set: { nextClockAt: new Date(Date.now() + 60_000) } },
  );
  expect(await timed(id)).toBe(true);
  await gw.models.Conversation.updateOne({ _id: id }, { $unset: { nextClockAt: '' } });
  expect(await timed(id)).toBe(false);
  await gw.models.Conversation.updateMany({ _id: id }, { nextClockAt: new Date(Date.now() + 60_000) });
  expect(await timed(id)).toBe(true);
  // An update that leaves the instant alone leaves the flag alone.
  await gw.models.Conversation.updateOne({ _id: id }, { $set: { priority: 2 } });
  expect(await timed(id)).toBe(true);
  expect(await conversation(null).then(timed)).toBe(false);
});

const hour = 3600_000;

it('marks a conversation stored before the fields existed, once', async () => {
  const soon = new Date(Date.now() + hour);
  const unflagged = await conversation(null);
  await gw.models.Conversation.collection.updateOne(
    { _id: unflagged },
    { $set: { nextClockAt: soon }, $unset: { timed: '', timedSlot: '' } },
  );
  expect(await markTimed(gw.models.Conversation)).toBe(1);
  expect(await timed(unflagged)).toBe(true);
  expect(await markTimed(gw.models.Conversation)).toBe(0);
});

it('finds what is due by slot after its first full read, and what the slots miss at its next full read', async () => {
  // A collection of its own, so that only this sweep reads it and nothing else is due there.
  const schema = new Schema({ nextClockAt: { type: Date, default: null } });
  timedFlag(schema);
  const Probe = gw.models.Conversation.db.model(`TimedProbe${Date.now()}`, schema);
  const base = Math.ceil(Date.now() / SLOT_MS) * SLOT_MS;
  const at = (ms: number) => new Date(base + ms);
  const soon = (await Probe.create({ nextClockAt: at(2_000) }))._id;
  const later = (await Probe.create({ nextClockAt: at(30_000) }))._id;
  await Probe.create({ nextClockAt: null });
  const due = new DueDocuments(Probe);
  const find = jest.spyOn(Probe, 'find');
  const sweep = async (ms: number) => {
    find.mockClear();
    const found = (await due.at(at(ms))).map((d) => String(d._id));
    const reads = find.mock.calls.map((args: unknown[]) =>
      Object.keys(args[0] as object)
        .sort()
        .join(','),
    );
    return { found, reads };
  };
  try {
    // The first read is of every running conversation.
    expect(await sweep(0)).toEqual({ found: [], reads: ['nextClockAt,timed'] });
    // Then the present slot only, by equality.
    expect(await sweep(1_000)).toEqual({ found: [], reads: ['nextClockAt,timedSlot'] });
    expect(await sweep(2_000)).toEqual({ found: [String(soon)], reads: ['nextClockAt,timedSlot'] });
    // Still due (its timer did nothing): found again, its slot read again.
    const next = await sweep(SLOT_MS + 1_000);
    expect(next.found).toEqual([String(soon)]);
    expect(next.reads).toEqual(['nextClockAt,timedSlot', 'nextClockAt,timedSlot']);
    await Probe.updateOne({ _id: soon }, { $set: { nextClockAt: at(3 * hour) } });
    // Its slot holds nothing due now: the next sweep starts at the present slot.
    expect((await sweep(SLOT_MS + 1_500)).reads).toHaveLength(2);
    expect((await sweep(SLOT_MS + 2_000)).reads).toHaveLength(1);
    // An instant already behind the slots when written: the slots miss it, the next full read finds it.
    await Probe.updateOne({ _id: later }, { $set: { nextClockAt: at(-SLOT_MS) } });
    expect((await sweep(SLOT_MS + 3_000)).found).toEqual([]);
    const full = await sweep(DEEP_EVERY_MS);
    expect(full).toEqual({ found: [String(later)], reads: ['nextClockAt,timed'] });
    // A clock that jumps far ahead reads everything rather than every slot in between.
    await Probe.updateOne({ _id: later }, { $set: { nextClockAt: at(3 * hour) } });
    const jumped = await sweep(DEEP_EVERY_MS + hour);
    expect(jumped.reads).toEqual(['nextClockAt,timed']);
  } finally {
    find.mockRestore();
    await Probe.collection.drop();
  }
});
