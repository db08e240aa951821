/**
 * Finds by equality are served by an index on the development database, not by reading
 * the collection: a conversation by `_id` (every message and every timer reads one), the
 * queue by `status`, the sweep by `timedSlot`. On FerretDB's PostgreSQL handler that is
 * the GIN twin `scripts/ferretdb/equality-indexes.sql` gives each of the model's indexes;
 * on MongoDB the model's own indexes.
 */
import { Types } from 'mongoose';
import { slotOf } from '../../server/storage/timed';
import { createDesk, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

/** The index names a find's plan uses, from whichever database answers. */
async function indexesUsed(filter: Record<string, unknown>): Promise<string[]> {
  const plan = JSON.stringify(await gw.models.Conversation.find(filter).explain());
  const names = new Set<string>();
  // PostgreSQL under FerretDB, and MongoDB.
  for (const m of plan.matchAll(/"(?:Index Name|indexName)":"([^"]+)"/g)) names.add(m[1]!);
  if (/"stage":"(?:IDHACK|EXPRESS_IXSCAN|EXPRESS_CLUSTERED_IXSCAN)"/.test(plan)) names.add('_id_');
  return [...names];
}

it('serves finds by _id, status and timedSlot from an index however many conversations are stored', async () => {
  const { inbox } = await createDesk(gw);
  const docs = Array.from({ length: 2000 }, (_, i) => ({
    _id: new Types.ObjectId(),
    inboxId: inbox._id,
    contactId: new Types.ObjectId(),
    channel: 'webchat',
    status: i % 100 === 0 ? 'queued' : 'resolved',
    liveKey: `equality:${i}:${String(new Types.ObjectId())}`,
    number: 900_000 + i,
    queuedAt: new Date(),
    lastMessageAt: new Date(),
    nextClockAt: i % 100 === 0 ? new Date(Date.now() + 3600_000) : null,
  }));
  await gw.models.Conversation.insertMany(docs);
  expect(await indexesUsed({ _id: docs[1234]!._id })).not.toEqual([]);
  expect(await indexesUsed({ status: 'queued' })).not.toEqual([]);
  expect(await indexesUsed({ timedSlot: slotOf(docs[0]!.nextClockAt) })).not.toEqual([]);
});
