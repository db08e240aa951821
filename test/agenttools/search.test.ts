/**
 * Conversation search: by words inside messages (English and Chinese), by the contact's
 * name, email or phone and by number, through the search index written as messages are
 * stored; agents find only what they may see.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '../../shared/protocol';
import { contactTerms } from '../../server/search/terms';
import { snippetOf } from '../../server/text/snippet';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  openVisitorSession,
  startGateway,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway({ env: { SEARCH_INDEX_DELAY_MS: '50' } });

interface Hit {
  conversation: { id: string; number: number };
  match: 'number' | 'message' | 'contact';
  snippet: string | null;
}
type Found = { results: Hit[]; error?: { message: string } };

const search = (token: string, q: string) =>
  api<Found>(gw.url, token, 'GET', `/search?q=${encodeURIComponent(q)}`);
const ids = (r: { body: Found }) => r.body.results.map((h) => h.conversation.id);

async function say(inboxKey: string, texts: string[], profile: Record<string, unknown> = {}) {
  const session = await openVisitorSession(gw.url, inboxKey, profile);
  const socket = await connectVisitor(gw.url, session.token);
  let conversationId = '';
  for (const text of texts)
    conversationId = (await call<MessageView>(socket, 'message:send', { clientId: randomUUID(), text }))
      .conversationId;
  socket.disconnect();
  return conversationId;
}

describe('conversation search', () => {
  it('finds English and Chinese conversations by words inside their messages, and by number', async () => {
    const desk = await createDesk(gw);
    const agent = await desk.agent();
    const en = await say(desk.inbox.key, ['Hello', 'My parcel was delivered to the wrong address in Leeds']);
    const zh = await say(desk.inbox.key, ['你好', '我想申请退款，订单还没有发货']);

    const english = await eventually(
      () => search(agent.token, 'WRONG address'),
      (r) => ids(r).includes(en),
    );
    expect(english.status).toBe(200);
    expect(ids(english)).not.toContain(zh);
    expect(english.body.results[0]).toMatchObject({ match: 'message' });
    expect(english.body.results[0]!.snippet).toContain('wrong address in Leeds');

    const chinese = await eventually(
      () => search(agent.token, '退款'),
      (r) => ids(r).includes(zh),
    );
    expect(ids(chinese)).not.toContain(en);
    expect(chinese.body.results.find((h) => h.conversation.id === zh)?.snippet).toContain('申请退款');
    // Every pair of the query must stand together in one message: 退货 is not in it.
    expect(ids(await search(agent.token, '退货'))).not.toContain(zh);
    // Words of different messages do not make a match of one message.
    expect(ids(await search(agent.token, 'hello leeds'))).not.toContain(en);

    const conv = await gw.models.Conversation.findById(zh).lean();
    for (const q of [`#${conv!.number}`, String(conv!.number)]) {
      const byNumber = await search(agent.token, q);
      expect(byNumber.body.results[0]).toMatchObject({ conversation: { id: zh }, match: 'number' });
    }
  });

  it("finds a conversation by the contact's name, email and phone", async () => {
    const desk = await createDesk(gw);
    const agent = await desk.agent();
    const conv = await say(desk.inbox.key, ['I need help'], {
      name: 'Wang Xiaoming',
      email: 'xm.wang@example.test',
    });
    await gw.models.Contact.updateOne(
      { _id: (await gw.models.Conversation.findById(conv).lean())!.contactId },
      { $set: { phone: '+86 138 0000 1234' } },
    );
    const byName = await eventually(
      () => search(agent.token, 'xiaoming'),
      (r) => ids(r).includes(conv),
    );
    expect(byName.body.results.find((h) => h.conversation.id === conv)?.match).toBe('contact');
    expect(ids(await search(agent.token, 'xm.wang@example.test'))).toContain(conv);
    expect(contactTerms({ name: null, email: null, phone: '+86 138 0000 1234' }, (t) => t)).toContain(
      '13800001234',
    );
    // The index holds the contact's terms only as keyed hashes.
    const raw = JSON.stringify(
      await gw.models.SearchEntry.collection.find({ kind: 'contact' }).toArray(),
    ).toLowerCase();
    for (const clear of ['xiaoming', 'wang', 'example', '13800001234']) expect(raw).not.toContain(clear);
  });

  it('shows agents and supervisors only their teams’ conversations; admins see all', async () => {
    const mine = await createDesk(gw);
    const other = await createDesk(gw);
    const agent = await mine.agent();
    const supervisor = await mine.agent({ role: 'supervisor' });
    const admin = await createAgent(gw, { role: 'admin' });
    const word = `zebra${randomUUID().slice(0, 6)}`;
    const inMine = await say(mine.inbox.key, [`a ${word} question`]);
    const inOther = await say(other.inbox.key, [`another ${word} question`]);
    const all = await eventually(
      () => search(admin.token, word),
      (r) => ids(r).length === 2,
    );
    expect(ids(all).sort()).toEqual([inMine, inOther].sort());
    expect(ids(await search(supervisor.token, word))).toEqual([inMine]);
    expect(ids(await search(agent.token, word))).toEqual([inMine]);
    // Once the agent holds the other team's conversation (a transfer), they find it too.
    await gw.models.Conversation.updateOne({ _id: inOther }, { $set: { assigneeId: agent.id } });
    expect(ids(await search(agent.token, word)).sort()).toEqual([inMine, inOther].sort());
  });

  it('indexes agent replies and notes, and refuses a search without words', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent();
    const socket = await connectAgent(gw.url, a.token);
    const conversationId = await say(desk.inbox.key, ['hi']);
    await call(socket, 'conversation:take', { conversationId });
    await call(socket, 'message:send', {
      conversationId,
      clientId: randomUUID(),
      text: 'Your voucher code is SPRING',
    });
    await call(socket, 'message:send', {
      conversationId,
      clientId: randomUUID(),
      text: '客户很着急',
      private: true,
    });
    await eventually(
      () => search(a.token, 'voucher spring'),
      (r) => ids(r).includes(conversationId),
    );
    await eventually(
      () => search(a.token, '着急'),
      (r) => ids(r).includes(conversationId),
    );
    socket.disconnect();
    for (const q of ['', '   ', 'x'.repeat(201)]) {
      const res = await search(a.token, q);
      expect(res.status).toBe(400);
    }
    expect((await search(a.token, '!!!')).body.results).toEqual([]);
  });

  it('catches up at start on messages stored while no process indexed them', async () => {
    const desk = await createDesk(gw);
    const agent = await desk.agent();
    const word = `walrus${randomUUID().slice(0, 6)}`;
    const conv = await say(desk.inbox.key, [`the ${word} arrived broken`]);
    await eventually(
      () => search(agent.token, word),
      (r) => ids(r).includes(conv),
    );
    // The index is lost (a database restored without it); a process starting on it rebuilds it.
    await gw.models.SearchEntry.deleteMany({});
    expect(ids(await search(agent.token, word))).toEqual([]);
    const second = await startGateway({ dbName: gw.dbName });
    try {
      await eventually(
        () => search(agent.token, word),
        (r) => ids(r).includes(conv),
      );
    } finally {
      await second.close();
    }
  });

  it('writes the index in batches: many messages cost one write, at most the delay after they are stored', async () => {
    const writes: string[] = [];
    const own = await startGateway({
      env: { SEARCH_INDEX_DELAY_MS: '4000' },
      onDatabaseCommand: (name) => {
        if (name === 'update:searchentries') writes.push(name);
      },
    });
    try {
      const desk = await createDesk(own);
      const agent = await desk.agent();
      const session = await openVisitorSession(own.url, desk.inbox.key);
      const socket = await connectVisitor(own.url, session.token);
      const word = `okapi${randomUUID().slice(0, 6)}`;
      const sent = Date.now();
      for (let i = 0; i < 5; i++)
        await call(socket, 'message:send', { clientId: randomUUID(), text: `${word} number ${i}` });
      socket.disconnect();
      const found = await eventually(
        () => api<Found>(own.url, agent.token, 'GET', `/search?q=${word}`),
        (r) => r.body.results.length === 1,
      );
      expect(found.body.results[0]!.snippet).toContain(word);
      // Five messages and their contact: one write for the messages, one for the contact.
      expect(writes.length).toBeLessThanOrEqual(2);
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await own.close();
    }
  });

  it('cuts a snippet around the first matching word', () => {
    const text = `${'a'.repeat(300)} the refund is late ${'b'.repeat(300)}`;
    const s = snippetOf(text, ['refund']);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('the refund is late');
  });
});
