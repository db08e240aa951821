/**
 * Classification at intake: the seeded categories and rules, the category a first
 * customer message sets (keywords in English and Chinese, or the visitor's pre-chat
 * choice), and the admin API that edits categories and rules.
 */
import request from 'supertest';
import type { MessageView } from '../../shared/protocol';
import {
  call,
  connectVisitor,
  createAgent,
  createInbox,
  openVisitorSession,
  startGateway,
  uniqueDbName,
  type TestGateway,
} from '../harness/gateway';

let gw: TestGateway;
const told: [string, string][] = [];
let admin: string;
let agent: string;
beforeAll(async () => {
  gw = await startGateway({
    policyInputsChanged: async (id, reason) => {
      told.push([id, reason]);
    },
  });
  admin = (await createAgent(gw, { role: 'admin' })).token;
  agent = (await createAgent(gw)).token;
});
afterAll(async () => {
  await gw.close();
});
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

async function firstMessage(inboxKey: string, text: string, session: Record<string, unknown> = {}) {
  const s = await openVisitorSession(gw.url, inboxKey, session);
  const visitor = await connectVisitor(gw.url, s.token);
  const sent = await call<MessageView>(visitor, 'message:send', { clientId: 'first', text });
  return { visitor, conversationId: sent.conversationId };
}
const eventsOf = (conversationId: string) =>
  gw.models.ConversationEvent.find({ conversationId, type: 'conversation.category_changed' }).lean();

describe('the categories and rules a gateway starts with', () => {
  it('seeds five categories with English and Chinese names, and keyword rules, once', async () => {
    const res = await request(gw.url).get('/api/categories').set(auth(agent));
    expect(res.status).toBe(200);
    expect(res.body.categories.map((c: { key: string }) => c.key)).toEqual([
      'consultation',
      'complaint',
      'billing',
      'technical',
      'returns',
    ]);
    expect(res.body.categories[1]).toMatchObject({ names: { en: 'Complaint', zh: '投诉' }, enabled: true });
    expect(await gw.models.ClassificationRule.countDocuments()).toBe(4);
  });

  it('seeds once when two gateways start together on an empty database', async () => {
    const dbName = uniqueDbName('seed');
    const both = await Promise.all([startGateway({ dbName }), startGateway({ dbName })]);
    try {
      expect(await both[0].models.Category.countDocuments()).toBe(5);
      expect(await both[0].models.ClassificationRule.countDocuments()).toBe(4);
    } finally {
      await both[0].app.db.dropDatabase();
      await Promise.all(both.map((g) => g.close()));
    }
  });
});

describe('a first customer message', () => {
  it('"我要投诉" opens a complaint, on the timeline and in the conversation view', async () => {
    const inbox = await createInbox(gw);
    const { visitor, conversationId } = await firstMessage(inbox.key, '我要投诉，快递三天没到');
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    expect(conv?.category).toBe('complaint');
    const [event] = await eventsOf(conversationId);
    expect(event?.actor.type).toBe('system');
    expect(event?.data).toMatchObject({ from: null, to: 'complaint', by: 'rule', keyword: '投诉' });
    // Classified before its clocks start: nothing to re-target.
    expect(told.filter(([id]) => id === conversationId)).toEqual([]);
    const view = await request(gw.url).get(`/api/conversations/${conversationId}`).set(auth(agent));
    expect(view.body.conversation).toMatchObject({ category: 'complaint', labels: [] });

    // Later messages do not classify again.
    await call(visitor, 'message:send', { clientId: 'second', text: 'I want a refund' });
    expect((await gw.models.Conversation.findById(conversationId).lean())?.category).toBe('complaint');
    expect(await eventsOf(conversationId)).toHaveLength(1);
    visitor.disconnect();
  });

  it("starts the clocks of a classified conversation with its category's targets", async () => {
    const inbox = await createInbox(gw);
    const { visitor, conversationId } = await firstMessage(inbox.key, '我要退货，尺码不合适');
    const conv = await gw.models.Conversation.findById(conversationId).lean();
    expect(conv?.category).toBe('returns');
    // The handbook's returns resolution target is 48 hours, against 24 hours in general.
    expect(conv?.clocks?.resolution?.targetMs).toBe(48 * 3600_000);
    visitor.disconnect();
  });

  it('stays unclassified when nothing matches', async () => {
    const inbox = await createInbox(gw);
    const { visitor, conversationId } = await firstMessage(inbox.key, 'What are your opening hours?');
    expect((await gw.models.Conversation.findById(conversationId).lean())?.category).toBeNull();
    expect(await eventsOf(conversationId)).toHaveLength(0);
    visitor.disconnect();
  });

  it('takes the category the visitor picked before writing, over any keyword', async () => {
    const inbox = await createInbox(gw, {
      settings: { preChat: { enabled: true, categories: ['billing', 'returns', 'nonexistent'] } },
    });
    const res = await request(gw.url).post('/channels/webchat/sessions').send({ inboxKey: inbox.key });
    expect(res.body.inbox.preChat.categories).toEqual([
      { key: 'billing', names: { en: 'Billing', zh: '账单与费用' } },
      { key: 'returns', names: { en: 'Returns and exchanges', zh: '退换货' } },
    ]);

    const { visitor, conversationId } = await firstMessage(inbox.key, '我要投诉', { category: 'billing' });
    expect((await gw.models.Conversation.findById(conversationId).lean())?.category).toBe('billing');
    const [event] = await eventsOf(conversationId);
    expect(event?.actor.type).toBe('contact');
    expect(event?.data).toMatchObject({ from: null, to: 'billing', by: 'choice' });
    visitor.disconnect();
  });

  it('ignores a choice the inbox does not offer', async () => {
    const inbox = await createInbox(gw, {
      settings: { preChat: { enabled: true, categories: ['billing'] } },
    });
    const { visitor, conversationId } = await firstMessage(inbox.key, '我要投诉', { category: 'technical' });
    expect((await gw.models.Conversation.findById(conversationId).lean())?.category).toBe('complaint');
    visitor.disconnect();
  });
});

describe('administering categories', () => {
  it('adds, renames and archives a category in use; deletes one never used', async () => {
    const created = await request(gw.url)
      .post('/api/categories')
      .set(auth(admin))
      .send({ key: 'delivery', names: { en: 'Delivery', zh: '物流配送' }, requiredSkill: 'logistics' });
    expect(created.status).toBe(201);
    expect(created.body.category).toMatchObject({
      key: 'delivery',
      requiredSkill: 'logistics',
      enabled: true,
      order: 5,
    });
    const dup = await request(gw.url)
      .post('/api/categories')
      .set(auth(admin))
      .send({ key: 'delivery', names: { en: 'x', zh: 'x' } });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'duplicate_key']);
    const bad = await request(gw.url)
      .post('/api/categories')
      .set(auth(admin))
      .send({ key: 'Bad Key', names: { en: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/key/);
    expect(bad.body.error.message).toMatch(/names\.zh/);
    expect((await request(gw.url).post('/api/categories').set(auth(agent)).send({})).status).toBe(403);

    const renamed = await request(gw.url)
      .patch('/api/categories/delivery')
      .set(auth(admin))
      .send({ names: { zh: '配送' } });
    expect(renamed.body.category.names).toEqual({ en: 'Delivery', zh: '配送' });
    expect(
      (await request(gw.url).patch('/api/categories/nope').set(auth(admin)).send({ enabled: false })).status,
    ).toBe(404);

    const inbox = await createInbox(gw);
    const { visitor, conversationId } = await firstMessage(inbox.key, 'hello');
    await gw.models.Conversation.updateOne({ _id: conversationId }, { $set: { category: 'delivery' } });
    const archived = await request(gw.url).delete('/api/categories/delivery').set(auth(admin));
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ archived: true, category: { key: 'delivery', enabled: false } });

    await request(gw.url)
      .post('/api/categories')
      .set(auth(admin))
      .send({ key: 'unused', names: { en: 'U', zh: '未用' } });
    expect((await request(gw.url).delete('/api/categories/unused').set(auth(admin))).status).toBe(204);
    expect(await gw.models.Category.exists({ key: 'unused' })).toBeNull();
    visitor.disconnect();
  });
});

describe('administering rules', () => {
  it('lists, adds, reorders and removes rules; a new rule classifies the next conversation', async () => {
    const list = await request(gw.url).get('/api/classification-rules').set(auth(admin));
    expect(list.body.rules.map((r: { category: string }) => r.category)).toEqual([
      'complaint',
      'returns',
      'billing',
      'technical',
    ]);
    expect((await request(gw.url).get('/api/classification-rules').set(auth(agent))).status).toBe(403);

    const unknown = await request(gw.url)
      .post('/api/classification-rules')
      .set(auth(admin))
      .send({ name: 'x', category: 'nope', keywords: ['x'] });
    expect([unknown.status, unknown.body.error.message]).toEqual([
      400,
      'category: there is no category "nope".',
    ]);
    const badChannel = await request(gw.url)
      .post('/api/classification-rules')
      .set(auth(admin))
      .send({ name: 'x', category: 'technical', channels: ['fax'] });
    expect(badChannel.status).toBe(400);

    const added = await request(gw.url)
      .post('/api/classification-rules')
      .set(auth(admin))
      .send({
        name: 'Warranty',
        category: 'technical',
        channels: ['webchat'],
        keywords: ['warranty', '保修'],
      });
    expect(added.status).toBe(201);
    expect(added.body.rule).toMatchObject({ position: 4, enabled: true, channels: ['webchat'] });
    const first = await request(gw.url)
      .patch(`/api/classification-rules/${added.body.rule.id}`)
      .set(auth(admin))
      .send({ position: 0 });
    expect(first.body.rule.position).toBe(0);

    const inbox = await createInbox(gw);
    const { visitor, conversationId } = await firstMessage(inbox.key, '保修期内能退货吗？');
    expect((await gw.models.Conversation.findById(conversationId).lean())?.category).toBe('technical');
    visitor.disconnect();

    expect(
      (await request(gw.url).delete(`/api/classification-rules/${added.body.rule.id}`).set(auth(admin)))
        .status,
    ).toBe(204);
    expect(
      (await request(gw.url).delete(`/api/classification-rules/${added.body.rule.id}`).set(auth(admin)))
        .status,
    ).toBe(404);
  });
});
