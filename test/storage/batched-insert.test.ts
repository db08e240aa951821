/**
 * Batched inserts: messages handed in together are stored by one insert command, each
 * exactly as `create` would store it (defaults, timestamps, sealed fields sealed at rest),
 * and a duplicate in the batch fails only its own caller.
 */
import { Types } from 'mongoose';
import type { MessageDoc } from '../../server/domain/message';
import { isDuplicateKey } from '../../server/domain/models';
import { BatchedInsert } from '../../server/storage/batched-insert';
import { suiteGateway } from '../harness/gateway';
import { withClient } from '../privacy/raw';

const commands: string[] = [];
const gw = suiteGateway({
  onDatabaseCommand: (name) => commands.push(name),
});

const fields = (dedupeKey: string, name = 'Li Wei') => ({
  conversationId: new Types.ObjectId(),
  inboxId: inbox,
  direction: 'in' as const,
  sender: { type: 'contact' as const, id: new Types.ObjectId(), name },
  text: `text of ${dedupeKey}`,
  dedupeKey,
  delivery: { status: 'received' as const, providerId: null, error: null, updatedAt: new Date() },
});
const inbox = new Types.ObjectId();

it('stores messages handed in together with one command, each as create would', async () => {
  const inserts = new BatchedInsert<MessageDoc>(gw.models.Message);
  commands.length = 0;
  const stored = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => inserts.create(fields(k))));
  expect(commands.filter((c) => c === 'insert:messages')).toHaveLength(1);

  // What the callers get back is the clear document, with its defaults and timestamp.
  expect(stored.map((m) => m.sender.name)).toEqual(['Li Wei', 'Li Wei', 'Li Wei', 'Li Wei', 'Li Wei']);
  expect(stored[0]).toMatchObject({
    private: false,
    automatic: false,
    html: null,
    attachments: [],
    meta: {},
  });
  expect(stored[0]!.createdAt).toBeInstanceOf(Date);
  // Read back through the model, each is as the caller holds it.
  const read = await gw.models.Message.find({ inboxId: inbox }).sort({ dedupeKey: 1 }).lean<MessageDoc[]>();
  expect(read.map((m) => [m.dedupeKey, m.text, m.sender.name])).toEqual(
    stored.map((m) => [m.dedupeKey, m.text, m.sender.name]),
  );
  expect(read[0]!.createdAt.getTime()).toBe(stored[0]!.createdAt.getTime());
  // At rest the sender's name is sealed, as it is for a message stored by create.
  const raw = await withClient(gw.dbName, (db) => db.collection('messages').findOne({ dedupeKey: 'a' }));
  expect(JSON.stringify(raw)).not.toContain('Li Wei');
});

it('fails only the duplicate of a batch; the others are stored', async () => {
  const inserts = new BatchedInsert<MessageDoc>(gw.models.Message);
  await inserts.create(fields('taken'));
  commands.length = 0;
  const results = await Promise.allSettled([
    inserts.create(fields('f1')),
    inserts.create(fields('taken')),
    inserts.create(fields('f2')),
  ]);
  expect(commands.filter((c) => c === 'insert:messages')).toHaveLength(1);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(isDuplicateKey((results[1] as PromiseRejectedResult).reason)).toBe(true);
  const keys = await gw.models.Message.find({
    inboxId: inbox,
    dedupeKey: { $in: ['f1', 'f2', 'taken'] },
  }).lean();
  expect(keys).toHaveLength(3);
});

it('refuses a document that fails validation without storing it or failing the others', async () => {
  const inserts = new BatchedInsert<MessageDoc>(gw.models.Message);
  const results = await Promise.allSettled([
    inserts.create(fields('valid')),
    inserts.create({ ...fields('invalid'), direction: 'sideways' as never }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  expect(await gw.models.Message.exists({ inboxId: inbox, dedupeKey: 'invalid' })).toBeNull();
  expect(await gw.models.Message.exists({ inboxId: inbox, dedupeKey: 'valid' })).not.toBeNull();
});
