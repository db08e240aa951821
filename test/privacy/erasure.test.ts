/**
 * Erasure and retention: an admin erases a contact and nothing of theirs is left in any
 * collection (files, surveys, complaints, tasks, identities included), with a tombstone and
 * an audit entry that hold no personal data; the retention sweep deletes only resolved
 * conversations older than the period.
 */
import { randomBytes } from 'node:crypto';
import { SearchIndexer } from '../../server/search/indexer';
import { blindTerms } from '../../server/search/terms';
import { AttachmentStore } from '../../server/storage/attachments';
import {
  api,
  call,
  connectAgent,
  createAgent,
  createInbox,
  eventually,
  startGateway,
  uniqueDbName,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';
import { rawText } from './raw';

const PHONE = '+4915112345678';
const NAME = 'Greta Hoffmann';
const DAY = 24 * 3600_000;

let gw: TestGateway;
const dbName = uniqueDbName('erasure');

beforeAll(async () => {
  gw = await startGateway({
    dbName,
    // Resolved conversations are kept 30 days, swept every 100 ms.
    env: { RETENTION_RESOLVED_DAYS: '30', RETENTION_SWEEP_INTERVAL_MS: '100' },
  });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

async function deskWithAgent() {
  const team = await gw.models.Team.create({ name: `team-${randomBytes(4).toString('hex')}` });
  const inbox = await createInbox(gw, { channel: 'sms', teamId: String(team._id) });
  const agent = await createAgent(gw, { teamIds: [String(team._id)], capacity: 5 });
  const socket = await connectAgent(gw.url, agent.token);
  return { inbox, agent, socket };
}

const sms = (inboxId: string, from: string, text: string, extra: Record<string, unknown> = {}) =>
  gw.app.ingest.ingest({
    inboxId,
    from: { channel: 'sms', address: from },
    profile: { phone: from, name: NAME },
    dedupeKey: `sms:${randomBytes(6).toString('hex')}`,
    text,
    ...extra,
  });

async function resolve(socket: AgentClient, conversationId: string) {
  await call(socket, 'conversation:take', { conversationId });
  await call(socket, 'message:send', {
    conversationId,
    clientId: randomBytes(4).toString('hex'),
    text: 'Done, all sorted.',
  });
  await call(socket, 'conversation:resolve', { conversationId });
}

it('erases a contact and everything of theirs, leaving a tombstone and an audit entry without personal data', async () => {
  const a = await deskWithAgent();
  const b = await deskWithAgent();
  const files = new AttachmentStore(gw.app.db, { maxBytes: 1 << 20, orphanTtlMs: DAY });
  const photo = await files.store(Buffer.from('a photo of the broken lamp'), {
    name: 'lamp.jpg',
    contentType: 'image/jpeg',
  });
  // A resolved conversation (with a file, a survey and a new-customer follow-up) in one inbox…
  const first = await sms(String(a.inbox._id), PHONE, 'The lamp arrived broken', { attachments: [photo] });
  const contactId = String(first.conversation.contactId);
  await resolve(a.socket, String(first.conversation._id));
  await eventually(
    () => gw.models.FollowUpTask.countDocuments({ contactId }),
    (n) => n === 1,
  );
  await eventually(
    () => gw.models.Survey.countDocuments({ contactId }),
    (n) => n === 1,
  );
  // …and an open complaint in another.
  const second = await sms(String(b.inbox._id), PHONE, 'This is unacceptable, I want to complain');
  await eventually(
    () => gw.models.Complaint.countDocuments({ contactId }),
    (n) => n === 1,
  );
  // Someone else's conversation stays.
  const other = await sms(String(a.inbox._id), '+4915199999999', 'Do you ship to Austria?');

  const agent = await createAgent(gw, { role: 'supervisor' });
  expect((await api(gw.url, agent.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(403);
  const admin = await createAgent(gw, { role: 'admin' });
  const res = await api<{ erased: { contactId: string; deleted: Record<string, number> } }>(
    gw.url,
    admin.token,
    'DELETE',
    `/contacts/${contactId}`,
  );
  expect(res.status).toBe(200);
  expect(res.body.erased.deleted).toMatchObject({
    contacts: 1,
    identities: 1,
    conversations: 2,
    files: 1,
    surveys: 1,
    complaints: 1,
    followUps: 1,
  });

  const ids = [
    contactId,
    String(first.conversation._id),
    String(second.conversation._id),
    String(photo.fileId),
  ];
  const raw = await rawText(dbName);
  const left = raw.filter(
    (d) =>
      !d.startsWith('contacterasures:') && !d.startsWith('staff_audit:') && ids.some((id) => d.includes(id)),
  );
  expect(left).toEqual([]);
  expect(raw.filter((d) => d.includes('lamp'))).toEqual([]);
  // The tombstone and the audit entry name the contact's old id, nothing personal.
  const tombstone = raw.filter((d) => d.startsWith('contacterasures:'));
  expect(tombstone).toHaveLength(1);
  const audit = await api<{ entries: { action: string; target: { id: string }; actorId: string }[] }>(
    gw.url,
    admin.token,
    'GET',
    '/audit?action=contact.erased',
  );
  expect(audit.body.entries).toEqual([
    expect.objectContaining({ actorId: admin.id, target: { kind: 'contact', id: contactId } }),
  ]);
  for (const d of [...tombstone, JSON.stringify(audit.body.entries)])
    for (const word of [PHONE, NAME, 'Greta', 'lamp']) expect(d).not.toContain(word);
  const info = await api<{ erasure: { contactId: string; byAgentId: string } }>(
    gw.url,
    admin.token,
    'GET',
    `/erasures/${contactId}`,
  );
  expect(info.body.erasure).toMatchObject({ contactId, byAgentId: admin.id });

  expect(await gw.models.Conversation.exists({ _id: other.conversation._id })).not.toBeNull();
  // The same number writing again is a new customer.
  const back = await sms(String(a.inbox._id), PHONE, 'Hello again');
  expect(String(back.conversation.contactId)).not.toBe(contactId);
  expect((await api(gw.url, admin.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(404);
  expect((await api(gw.url, admin.token, 'DELETE', '/contacts/not-an-id')).status).toBe(400);
});

it('leaves nothing in the search index that was still on its way there when the contact was erased', async () => {
  const d = await deskWithAgent();
  // An indexer whose batch is held until the erasure is done, as another process's may be.
  const indexer = new SearchIndexer(gw.models, 600_000, blindTerms(gw.app.config.keyring), gw.app.logger);
  const stored = await sms(String(d.inbox._id), '+4915100000009', 'My parcel never came');
  indexer.message(stored.message, stored.conversation);
  const contactId = String(stored.conversation.contactId);
  const admin = await createAgent(gw, { role: 'admin' });
  expect((await api(gw.url, admin.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(200);
  await indexer.close();
  expect(await gw.models.SearchEntry.find({ contactId }).lean()).toEqual([]);
  // A batch for someone still here is written as ever.
  const kept = await sms(String(d.inbox._id), '+4915100000010', 'Where is my parcel?');
  const other = new SearchIndexer(gw.models, 600_000, blindTerms(gw.app.config.keyring), gw.app.logger);
  other.message(kept.message, kept.conversation);
  await other.close();
  expect(await gw.models.SearchEntry.exists({ _id: String(kept.message._id) })).not.toBeNull();
});

it('deletes resolved conversations once they are older than the retention period, and nothing else', async () => {
  const d = await deskWithAgent();
  const recent = await sms(String(d.inbox._id), '+4915100000002', 'A newer question');
  await resolve(d.socket, String(recent.conversation._id));
  const open = await sms(String(d.inbox._id), '+4915100000003', 'Still waiting');
  // Resolved 29 days ago: kept.
  await gw.models.Conversation.updateOne(
    { _id: recent.conversation._id },
    { $set: { resolvedAt: new Date(Date.now() - 29 * DAY) } },
  );
  const old = await sms(String(d.inbox._id), '+4915100000001', 'An old question');
  await resolve(d.socket, String(old.conversation._id));
  // Resolved 31 days ago: past the period.
  await gw.models.Conversation.updateOne(
    { _id: old.conversation._id },
    { $set: { resolvedAt: new Date(Date.now() - 31 * DAY) } },
  );
  await eventually(
    () => gw.models.Conversation.exists({ _id: old.conversation._id }),
    (x) => x === null,
  );
  expect(await gw.models.Message.countDocuments({ conversationId: old.conversation._id })).toBe(0);
  expect(await gw.models.ConversationEvent.countDocuments({ conversationId: old.conversation._id })).toBe(0);
  expect(await gw.models.Survey.countDocuments({ conversationId: old.conversation._id })).toBe(0);
  expect(await gw.models.Conversation.exists({ _id: recent.conversation._id })).not.toBeNull();
  expect(await gw.models.Conversation.exists({ _id: open.conversation._id })).not.toBeNull();
  expect(await gw.models.Message.countDocuments({ conversationId: recent.conversation._id })).toBeGreaterThan(
    0,
  );
  // The contact stays; only the conversation went.
  expect(await gw.models.Contact.exists({ _id: old.conversation.contactId })).not.toBeNull();
  const entries = await gw.models.StaffAuditEntry.find({ action: 'retention.swept' }).lean();
  expect(entries.length).toBeGreaterThan(0);
});
