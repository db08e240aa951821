/**
 * The sweeps select documents by the `timed` flag, which follows `nextClockAt` on every
 * write through the model; documents stored without it are marked at start.
 */
import { Types } from 'mongoose';
import { dueBy, markTimed } from '../../server/storage/timed';
import { createDesk, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

const timed = async (id: Types.ObjectId) =>
  (await gw.models.Conversation.collection.findOne({ _id: id }, { projection: { timed: 1 } }))?.timed;

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

it('finds a conversation whose instant passed, including one stored before the flag once it is marked', async () => {
  // Instants an hour ahead, looked for as if two hours had passed: the gateway's own sweep
  // (which acts on instants that really passed) leaves them alone.
  const hour = 3600_000;
  const soon = new Date(Date.now() + hour);
  const flagged = await conversation(soon);
  const later = await conversation(new Date(Date.now() + 3 * hour));
  // Stored past the model, as before the flag existed.
  const unflagged = await conversation(null);
  await gw.models.Conversation.collection.updateOne(
    { _id: unflagged },
    { $set: { nextClockAt: soon }, $unset: { timed: '' } },
  );
  const due = async () =>
    new Set(
      (await gw.models.Conversation.find(dueBy(new Date(Date.now() + 2 * hour)), { _id: 1 }).lean()).map(
        (c) => String(c._id),
      ),
    );
  let found = await due();
  expect([found.has(String(flagged)), found.has(String(later)), found.has(String(unflagged))]).toEqual([
    true,
    false,
    false,
  ]);
  expect(await markTimed(gw.models.Conversation)).toBe(1);
  found = await due();
  expect(found.has(String(unflagged))).toBe(true);
  expect(await markTimed(gw.models.Conversation)).toBe(0);
});
