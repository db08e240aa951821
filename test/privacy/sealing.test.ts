/**
 * Customer data at rest: what a copy of the database shows (the plain driver, no keys),
 * data stored in clear by an earlier version sealed at start, and a key rotation with data
 * in place after which everything is still read and found by ingest.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { MessageView } from '../../shared/protocol';
import { loadConfig } from '../../server/config';
import { registerModels } from '../../server/domain/models';
import { createLogger } from '../../server/observability/logger';
import { useKeyring } from '../../server/privacy/plugin';
import { resealAll } from '../../server/privacy/rotation';
import {
  MONGO_BASE,
  api,
  call,
  connectVisitor,
  createAgent,
  createInbox,
  gatewayEnv,
  openVisitorSession,
  startGateway,
  uniqueDbName,
  type TestGateway,
} from '../harness/gateway';
import { rawText, withClient } from './raw';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();
const indexKey = key();
const withK1 = { DATA_KEYS: `k1:${k1}`, DATA_KEY_ID: 'k1', DATA_INDEX_KEY: indexKey };
const withBoth = { DATA_KEYS: `k1:${k1},k2:${k2}`, DATA_KEY_ID: 'k2', DATA_INDEX_KEY: indexKey };
const onlyK2 = { DATA_KEYS: `k2:${k2}`, DATA_KEY_ID: 'k2', DATA_INDEX_KEY: indexKey };

const dbName = uniqueDbName('sealing');
const LEGACY_PHONE = '+8613800138000';
const PERSONAL = [
  'Legacy Li',
  'legacy@example.test',
  LEGACY_PHONE,
  'legacy-auth-token-0123456789',
  'Mei Zhang',
  'mei.zhang@example.test',
  'Oskar Nilsson',
  'oskar@example.test',
  'twilio-auth-token-abcdef0123456789',
];

let gw: TestGateway;
let smsInboxId = '';
let legacyContactId: Types.ObjectId;

async function ingestSms(text: string) {
  return gw.app.ingest.ingest({
    inboxId: smsInboxId,
    from: { channel: 'sms', address: LEGACY_PHONE },
    profile: { phone: LEGACY_PHONE },
    dedupeKey: `sms:${randomBytes(6).toString('hex')}`,
    text,
  });
}

beforeAll(async () => {
  // What an earlier version left: a contact, its identity and an inbox's credentials in clear.
  legacyContactId = new Types.ObjectId();
  const inboxId = new Types.ObjectId();
  smsInboxId = String(inboxId);
  await withClient(dbName, async (db) => {
    await db.collection('contacts').insertOne({
      _id: legacyContactId,
      name: 'Legacy Li',
      email: 'legacy@example.test',
      phone: LEGACY_PHONE,
      identities: [{ channel: 'sms', address: LEGACY_PHONE }],
      reachability: {},
      attributes: {},
      vip: false,
      dedicatedAgentId: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await db
      .collection('contactidentities')
      .insertOne({ key: `sms:${LEGACY_PHONE}`, contactId: legacyContactId });
    await db.collection('inboxes').insertOne({
      _id: inboxId,
      name: 'Texts',
      channel: 'sms',
      key: `sms-${randomBytes(4).toString('hex')}`,
      settings: {
        accountSid: `AC${'1'.repeat(32)}`,
        authToken: 'legacy-auth-token-0123456789',
        from: '+15550001111',
      },
      teamId: null,
      enabled: true,
      sla: {},
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  });
  gw = await startGateway({ dbName, env: withK1 });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

it('seals what was stored in clear when the gateway starts, and ingest still finds the contact', async () => {
  const res = await ingestSms('where is my parcel?');
  expect(String(res.conversation.contactId)).toBe(String(legacyContactId));
  const raw = await rawText(dbName);
  for (const word of ['Legacy Li', 'legacy@example.test', LEGACY_PHONE, 'legacy-auth-token-0123456789'])
    expect(raw.filter((d) => d.includes(word))).toEqual([]);
});

it('keeps no personal field or channel secret in clear in any collection, and serves them in clear', async () => {
  const admin = await createAgent(gw, { role: 'admin' });
  const created = await api<{ inbox: { id: string; settings: Record<string, unknown> } }>(
    gw.url,
    admin.token,
    'POST',
    '/inboxes',
    {
      name: 'Shop texts',
      channel: 'sms',
      settings: {
        accountSid: `AC${'2'.repeat(32)}`,
        authToken: 'twilio-auth-token-abcdef0123456789',
        from: '+15550002222',
      },
    },
  );
  expect(created.status).toBe(201);
  expect(created.body.inbox.settings.authToken).toBe('[set]');
  const stored = await gw.models.Inbox.findById(created.body.inbox.id).lean();
  expect(stored?.settings.authToken).toBe('twilio-auth-token-abcdef0123456789');

  const email = await createInbox(gw, { channel: 'email', name: 'Mail' });
  const mail = await gw.app.ingest.ingest({
    inboxId: String(email._id),
    from: { channel: 'email', address: 'mei.zhang@example.test' },
    profile: { name: 'Mei Zhang', email: 'mei.zhang@example.test' },
    dedupeKey: '<m1@example.test>',
    text: 'the invoice total is wrong',
    subject: 'Invoice',
    meta: { messageId: '<m1@example.test>', to: ['support@shop.test'], cc: ['mei.zhang@example.test'] },
  });

  const web = await createInbox(gw);
  const s = await openVisitorSession(gw.url, web.key, { name: 'Oskar Nilsson', email: 'oskar@example.test' });
  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', { clientId: 'o1', text: 'hello there' });
  v.disconnect();

  const raw = await rawText(dbName);
  for (const word of PERSONAL) expect(raw.filter((d) => d.includes(word))).toEqual([]);

  const agent = await createAgent(gw, { role: 'supervisor' });
  const detail = await api<{ contact: { name: string; email: string; identities: { address: string }[] } }>(
    gw.url,
    agent.token,
    'GET',
    `/contacts/${String(mail.conversation.contactId)}`,
  );
  expect(detail.body.contact).toMatchObject({ name: 'Mei Zhang', email: 'mei.zhang@example.test' });
  expect(detail.body.contact.identities).toEqual([{ channel: 'email', address: 'mei.zhang@example.test' }]);
  const messages = await gw.models.Message.find({ conversationId: mail.conversation._id }).lean();
  expect(messages[0]?.meta.cc).toEqual(['mei.zhang@example.test']);

  // The console finds contacts by exact email, phone, or a word of the name.
  for (const q of ['MEI.ZHANG@example.test', 'zhang', 'Oskar Nilsson', LEGACY_PHONE]) {
    const found = await api<{ conversations: { id: string }[] }>(
      gw.url,
      agent.token,
      'GET',
      `/conversations?q=${encodeURIComponent(q)}`,
    );
    expect(found.body.conversations.length).toBeGreaterThan(0);
  }
  const oskar = await api<{ conversations: { id: string }[] }>(
    gw.url,
    agent.token,
    'GET',
    `/conversations?q=oskar`,
  );
  expect(oskar.body.conversations.map((c) => c.id)).toContain(m.conversationId);
});

it('rotates to a new key with the data in place: the old key can go, everything is read and found', async () => {
  await gw.close();
  const config = loadConfig(gatewayEnv(dbName, withBoth));
  const db = await mongoose.createConnection(`${MONGO_BASE}/${dbName}`).asPromise();
  try {
    useKeyring(db, config.keyring);
    registerModels(db);
    const report = await resealAll(db, config.keyring, createLogger('silent'));
    expect(report.rewritten.Contact).toBeGreaterThanOrEqual(3);
    expect(report.rewritten.Inbox).toBeGreaterThanOrEqual(2);
    expect(report.raced).toBe(0);
  } finally {
    await db.close();
  }
  const raw = await rawText(dbName);
  expect(raw.filter((d) => d.includes('sb1.k1.'))).toEqual([]);
  expect(raw.some((d) => d.includes('sb1.k2.'))).toBe(true);

  gw = await startGateway({ dbName, env: onlyK2 });
  const again = await ingestSms('any news?');
  expect(String(again.conversation.contactId)).toBe(String(legacyContactId));
  const contact = await gw.models.Contact.findById(legacyContactId).lean();
  expect(contact).toMatchObject({ name: 'Legacy Li', email: 'legacy@example.test', phone: LEGACY_PHONE });
  const inbox = await gw.models.Inbox.findById(smsInboxId).lean();
  expect(inbox?.settings.authToken).toBe('legacy-auth-token-0123456789');
  const raw2 = await rawText(dbName);
  for (const word of PERSONAL) expect(raw2.filter((d) => d.includes(word))).toEqual([]);
});

it('refuses to start in production without keys', () => {
  expect(() => loadConfig(gatewayEnv(dbName, { NODE_ENV: 'production' }))).toThrow(/DATA_KEYS/);
  expect(() => loadConfig(gatewayEnv(dbName, { DATA_KEYS: `k1:${k1}` }))).toThrow(/DATA_INDEX_KEY/);
  expect(() =>
    loadConfig(gatewayEnv(dbName, { DATA_KEYS: 'k1:c2hvcnQ=', DATA_INDEX_KEY: indexKey })),
  ).toThrow(/32 bytes/);
});
