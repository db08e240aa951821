/** The REST API: login, administration, search and history, reports, health and metrics; bad requests get 4xx with a reason. */
import request from 'supertest';
import type { MessageView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  openVisitorSession,
  startGateway,
  type TestGateway,
} from '../harness/gateway';

let gw: TestGateway;
let adminToken: string;
beforeAll(async () => {
  gw = await startGateway({
    env: { ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'a long admin password' },
  });
  const res = await request(gw.url)
    .post('/api/auth/login')
    .send({ email: 'boss@example.test', password: 'a long admin password' });
  adminToken = res.body.token;
});
afterAll(async () => {
  await gw.close();
});
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('login', () => {
  it('creates the admin from the environment on first start and signs them in', async () => {
    const res = await request(gw.url)
      .post('/api/auth/login')
      .send({ email: 'BOSS@example.test', password: 'a long admin password' });
    expect(res.status).toBe(200);
    expect(res.body.agent).toMatchObject({ email: 'boss@example.test', role: 'admin' });
    const stored = await gw.models.Agent.findOne({ email: 'boss@example.test' }).lean();
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
  });
  it('rejects a wrong password, malformed bodies and missing tokens', async () => {
    expect(
      (await request(gw.url).post('/api/auth/login').send({ email: 'boss@example.test', password: 'nope' }))
        .status,
    ).toBe(401);
    const bad = await request(gw.url)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const invalid = await request(gw.url).post('/api/auth/login').send({ email: 'not an email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/email/);
    expect((await request(gw.url).get('/api/inboxes')).status).toBe(401);
  });
});

describe('administration', () => {
  it('creates inboxes, teams and agents; validates channel settings; hides secrets', async () => {
    const team = await request(gw.url).post('/api/teams').set(auth(adminToken)).send({ name: 'Billing' });
    expect(team.status).toBe(201);
    const inbox = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(adminToken))
      .send({
        name: 'Site',
        channel: 'webchat',
        teamId: team.body.team.id,
        sla: { pickupTargetMs: 120000 },
        settings: { preChat: { enabled: true } },
      });
    expect(inbox.status).toBe(201);
    expect(inbox.body.inbox).toMatchObject({
      name: 'Site',
      channel: 'webchat',
      teamId: team.body.team.id,
      sla: { pickupTargetMs: 120000 },
    });
    const badSettings = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(adminToken))
      .send({ name: 'X', channel: 'webchat', settings: { nonsense: 1 } });
    expect(badSettings.status).toBe(400);
    expect(badSettings.body.error.message).toMatch(/settings/);
    const badSla = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(adminToken))
      .send({ name: 'X', channel: 'webchat', sla: { replyTargetMs: -5 } });
    expect(badSla.status).toBe(400);
    expect(await gw.models.Inbox.countDocuments({ name: 'X' })).toBe(0);

    const agent = await request(gw.url)
      .post('/api/agents')
      .set(auth(adminToken))
      .send({
        email: 'new@example.test',
        name: 'New',
        password: 'password123',
        capacity: 4,
        teamIds: [team.body.team.id],
      });
    expect(agent.status).toBe(201);
    expect(agent.body.agent).toMatchObject({
      email: 'new@example.test',
      capacity: 4,
      role: 'agent',
      presence: 'offline',
      load: 0,
    });
    const dup = await request(gw.url)
      .post('/api/agents')
      .set(auth(adminToken))
      .send({ email: 'new@example.test', name: 'Again', password: 'password123' });
    expect(dup.status).toBe(409);
    const login = await request(gw.url)
      .post('/api/auth/login')
      .send({ email: 'new@example.test', password: 'password123' });
    expect(login.status).toBe(200);
    const forbidden = await request(gw.url)
      .post('/api/teams')
      .set(auth(login.body.token))
      .send({ name: 'Nope' });
    expect(forbidden.status).toBe(403);
    const list = await request(gw.url).get('/api/agents').set(auth(login.body.token));
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
  });
});

describe('accounts', () => {
  it('locks a disabled agent out at once, REST and sockets, and ends the sessions of a role change', async () => {
    const agent = await createAgent(gw);
    expect((await request(gw.url).get('/api/teams').set(auth(agent.token))).status).toBe(200);

    const promoted = await request(gw.url)
      .patch(`/api/agents/${agent.id}`)
      .set(auth(adminToken))
      .send({ role: 'admin' });
    expect(promoted.status).toBe(200);
    // The session signed in as an agent is over; signing in again gives the new role.
    expect((await request(gw.url).get('/api/teams').set(auth(agent.token))).status).toBe(401);
    const again = await request(gw.url)
      .post('/api/auth/login')
      .send({ email: agent.email, password: agent.password });
    expect(again.status).toBe(200);
    agent.token = again.body.token as string;
    expect(
      (await request(gw.url).post('/api/teams').set(auth(agent.token)).send({ name: 'Promoted' })).status,
    ).toBe(201);
    const socket = await connectAgent(gw.url, agent.token);
    await call(socket, 'presence:set', { presence: 'online' });

    const dropped = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    const disabled = await request(gw.url)
      .patch(`/api/agents/${agent.id}`)
      .set(auth(adminToken))
      .send({ active: false });
    expect(disabled.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    const rest = await request(gw.url).get('/api/teams').set(auth(agent.token));
    expect(rest.status).toBe(401);
    expect(rest.body.error.message).toBe('Your account is disabled.');
    await expect(connectAgent(gw.url, agent.token)).rejects.toThrow('Your account is disabled.');
    const login = await request(gw.url)
      .post('/api/auth/login')
      .send({ email: agent.email, password: agent.password });
    expect(login.status).toBe(401);
  });

  it('refuses to give an agent an email another agent has', async () => {
    const a = await createAgent(gw);
    const b = await createAgent(gw);
    const res = await request(gw.url)
      .patch(`/api/agents/${b.id}`)
      .set(auth(adminToken))
      .send({ email: a.email });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_email');
    expect((await gw.models.Agent.findById(b.id).lean())?.email).toBe(b.email);
  });
});

describe('conversations and reports', () => {
  it('searches conversations, returns history and the timeline, and reports attainment', async () => {
    const desk = await createDesk(gw);
    const agent = await desk.agent();
    const s = await openVisitorSession(gw.url, desk.inbox.key, {
      name: 'Zhang Wei',
      email: 'zw@example.test',
    });
    const v = await connectVisitor(gw.url, s.token);
    const m = await call<MessageView>(v, 'message:send', { clientId: 'x1', text: 'invoice question' });
    const a = await connectAgent(gw.url, agent.token);
    await call(a, 'conversation:take', { conversationId: m.conversationId });
    await call(a, 'message:send', { conversationId: m.conversationId, clientId: 'r1', text: 'here it is' });

    const found = await request(gw.url)
      .get('/api/conversations')
      .query({ q: 'Zhang' })
      .set(auth(agent.token));
    expect(found.status).toBe(200);
    expect(found.body.conversations.map((c: { id: string }) => c.id)).toContain(m.conversationId);
    const detail = await request(gw.url).get(`/api/conversations/${m.conversationId}`).set(auth(agent.token));
    expect(detail.body.messages.map((x: MessageView) => x.text)).toEqual(['invoice question', 'here it is']);
    const events = await request(gw.url)
      .get(`/api/conversations/${m.conversationId}/events`)
      .set(auth(agent.token));
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['conversation.opened', 'conversation.taken', 'sla.reply_stopped']),
    );
    const contact = await request(gw.url)
      .get(`/api/contacts/${detail.body.conversation.contactId}`)
      .set(auth(agent.token));
    expect(contact.body.contact).toMatchObject({ name: 'Zhang Wei', email: 'zw@example.test' });

    const asAgent = await request(gw.url).get('/api/reports/attainment').set(auth(agent.token));
    expect(asAgent.status).toBe(403);
    const lead = await desk.agent({ role: 'supervisor' });
    const report = await request(gw.url)
      .get('/api/reports/attainment')
      .query({ groupBy: 'agent' })
      .set(auth(lead.token));
    expect(report.status).toBe(200);
    expect(report.body.pickup.total).toBeGreaterThanOrEqual(1);
    expect(report.body.groups.find((g: { key: string }) => g.key === agent.id)).toMatchObject({
      pickup: { total: 1, met: 1, ratio: 1 },
      reply: { total: 1, met: 1, ratio: 1 },
    });

    expect(
      (await request(gw.url).get('/api/conversations/0123456789abcdef01234567').set(auth(agent.token)))
        .status,
    ).toBe(404);
    expect((await request(gw.url).get('/api/conversations/zzz').set(auth(agent.token))).status).toBe(400);
    expect(
      (await request(gw.url).get('/api/conversations').query({ status: 'sleeping' }).set(auth(agent.token)))
        .status,
    ).toBe(400);
    v.close();
    a.close();
  });
});

describe('operations', () => {
  it('serves liveness, readiness and Prometheus metrics including SLA clock histograms', async () => {
    expect((await request(gw.url).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(gw.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ mongo: 'ok', redis: 'ok' });
    // Metrics are scraped from their own loopback port, not the customer-facing one.
    expect((await request(gw.url).get('/metrics')).status).toBe(404);
    const metrics = await request(gw.app.metricsUrl!).get('');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('switchboard_sla_clock_seconds_bucket');
    expect(metrics.text).toMatch(/switchboard_messages_total\{direction="in",channel="webchat"\} \d+/);
  });
  it('answers unknown API paths with a JSON 404', async () => {
    const agent = await createAgent(gw);
    const res = await request(gw.url).get('/api/nothing-here').set(auth(agent.token));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('malformed query strings', () => {
  it('answers 400 with a reason, never 500', async () => {
    const lead = await createAgent(gw, { role: 'supervisor' });
    for (const path of [
      '/api/conversations?q=%00',
      '/api/conversations?q=a%1Fb',
      '/api/conversations?limit[toString]=x',
      '/api/conversations?before[toString]=x',
      '/api/conversations?limit=5&limit=6',
      '/api/reports/attainment?to[toString]=x',
      '/api/reports/attainment?from=yesterday',
    ]) {
      const res = await request(gw.url).get(path).set(auth(lead.token));
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toEqual(expect.any(String));
    }
  });
});
