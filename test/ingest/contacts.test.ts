/**
 * A sender is one contact: the identity is claimed with one upsert, concurrent resolvers
 * (as on several processes) end with the same contact, and an identity whose contact was
 * never stored gets it back under the same id.
 */
import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { identityKey, resolveContact, takeCreated } from '../../server/ingest/contacts';
import { suiteGateway } from '../harness/gateway';

const commands: string[] = [];
// The gateway's own background work (search index, sweeps) touches other collections.
const gw = suiteGateway({ onDatabaseCommand: (name) => name.includes(':contact') && commands.push(name) });

const sender = () => ({
  channel: 'sms' as const,
  address: `+1555${String(randomInt(1e7)).padStart(7, '0')}`,
});

it('creates a new sender’s contact with an upsert of the identity and one insert', async () => {
  const from = sender();
  commands.length = 0;
  const c = await resolveContact(gw.models, from, { name: 'Lin Wei' });
  expect(commands).toEqual(['findAndModify:contactidentities', 'insert:contacts']);
  expect(takeCreated(c)).toBe(true);
  expect(c.name).toBe('Lin Wei');
  commands.length = 0;
  const again = await resolveContact(gw.models, from);
  expect(commands).toEqual(['findAndModify:contactidentities', 'find:contacts']);
  expect(String(again._id)).toBe(String(c._id));
  expect(takeCreated(again)).toBe(false);
});

it('gives concurrent resolvers of one new identity the same contact, created once', async () => {
  const from = sender();
  const all = await Promise.all(Array.from({ length: 8 }, () => resolveContact(gw.models, from)));
  expect(new Set(all.map((c) => String(c._id))).size).toBe(1);
  // Only the resolver that claimed the identity may skip looking for the contact's history.
  expect(all.filter((c) => takeCreated(c))).toHaveLength(1);
  expect(await gw.models.Contact.countDocuments({ _id: all[0]!._id })).toBe(1);
  expect(await gw.models.ContactIdentity.countDocuments({ key: identityKey(from) })).toBe(1);
});

it('stores the contact an identity names when it is missing, under the same id', async () => {
  const from = sender();
  const orphan = new Types.ObjectId();
  await gw.models.ContactIdentity.create({ key: identityKey(from), contactId: orphan });
  const c = await resolveContact(gw.models, from, { name: 'Chen Jing' });
  expect(String(c._id)).toBe(String(orphan));
  expect(c.name).toBe('Chen Jing');
  // Its history may exist: it is looked for.
  expect(takeCreated(c)).toBe(false);
  expect(await gw.models.Contact.countDocuments({ _id: orphan })).toBe(1);
});
