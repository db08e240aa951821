/**
 * The administration endpoints the admin area stands on: secrets stay write-only, the
 * inbox view carries its snippet and webhook URLs, what is still in use is archived or
 * refused with a 409 and a reason, and every configuration change is in the audit log
 * with no secret in it.
 */
import request from 'supertest';
import { createAgent, createDesk, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
let admin: { id: string; token: string };
let agent: { id: string; token: string };
beforeAll(async () => {
  admin = await createAgent(gw, { role: 'admin' });
  agent = await createAgent(gw, { role: 'agent' });
});

const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const KEY_SECRET = 'k3y-s3cret-that-is-long-enough';
const sms = {
  accountSid: `AC${'a'.repeat(32)}`,
  authToken: AUTH_TOKEN,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: KEY_SECRET,
  from: '+14155550100',
};

async function audit(action: string) {
  const res = await request(gw.url).get(`/api/audit?action=${action}`).set(auth(admin.token));
  expect(res.status).toBe(200);
  return res.body.entries as {
    actorId: string;
    action: string;
    target: { kind: string; id: string };
    details: Record<string, unknown>;
  }[];
}

describe('the gateway root', () => {
  it('sends a browser on to the console', async () => {
    const res = await request(gw.url).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });
});

describe('inbox secrets', () => {
  it('are never answered back, survive an update that sends the marker back, and stay out of the audit log', async () => {
    const created = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Texts', channel: 'sms', enabled: false, settings: sms });
    expect(created.status).toBe(201);
    const id = created.body.inbox.id as string;
    expect(created.body.inbox.settings).toMatchObject({
      authToken: '[set]',
      apiKeySecret: '[set]',
      from: '+14155550100',
    });

    const list = await request(gw.url).get('/api/inboxes').set(auth(admin.token));
    expect(JSON.stringify(list.body)).not.toContain(AUTH_TOKEN);
    expect(JSON.stringify(list.body)).not.toContain(KEY_SECRET);

    const patched = await request(gw.url)
      .patch(`/api/inboxes/${id}`)
      .set(auth(admin.token))
      .send({ settings: { ...created.body.inbox.settings, from: '+14155550199' } });
    expect(patched.status).toBe(200);
    const stored = await gw.models.Inbox.findById(id).lean();
    expect(stored?.settings).toMatchObject({
      authToken: AUTH_TOKEN,
      apiKeySecret: KEY_SECRET,
      from: '+14155550199',
    });

    const entries = [...(await audit('inbox.created')), ...(await audit('inbox.updated'))].filter(
      (e) => e.target.id === id,
    );
    expect(entries.map((e) => e.action).sort()).toEqual(['inbox.created', 'inbox.updated']);
    expect(entries.every((e) => e.actorId === admin.id)).toBe(true);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain(KEY_SECRET);
    expect(entries.find((e) => e.action === 'inbox.created')?.details.settings).toContain('authToken');
  });

  it('leave switches that only sound secret (email replyToken) as they are', async () => {
    const doc = await gw.models.Inbox.create({
      name: 'Mail',
      channel: 'email',
      key: 'mail-view',
      enabled: false,
      settings: { replyToken: true, imap: { password: 'imap-pass-1234' } },
    });
    const list = await request(gw.url).get('/api/inboxes').set(auth(admin.token));
    const mail = list.body.inboxes.find((i: { id: string }) => i.id === String(doc._id));
    expect(mail.settings).toEqual({ replyToken: true, imap: { password: '[set]' } });
  });

  it('refuses bad settings naming the field under settings', async () => {
    const res = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Texts', channel: 'sms', settings: { ...sms, accountSid: 'nope' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^settings\.accountSid: must be a AC… SID/);
    expect(await gw.models.Inbox.countDocuments({ name: 'Texts', 'settings.accountSid': 'nope' })).toBe(0);
  });
});

describe('the inbox view', () => {
  it('gives the widget snippet of a web chat inbox and the webhook URLs of SMS and Telegram inboxes', async () => {
    const chat = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Site', channel: 'webchat', key: 'site-chat' });
    expect(chat.body.inbox.endpoints.snippet).toBe(
      `<script src="${gw.url}/widget.js" data-inbox="site-chat" async></script>`,
    );
    expect(chat.body.inbox.state.status).toBe('ok');
    expect(chat.body.inbox.archivedAt).toBeNull();

    const text = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({
        name: 'SMS',
        channel: 'sms',
        key: 'sms-line',
        enabled: false,
        settings: { ...sms, publicUrl: 'https://support.example.com/' },
      });
    expect(text.body.inbox.endpoints).toEqual({
      smsInbound: 'https://support.example.com/channels/sms/sms-line/inbound',
      smsStatus: 'https://support.example.com/channels/sms/sms-line/status',
    });

    const bot = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({
        name: 'Bot',
        channel: 'telegram',
        key: 'tg-bot',
        enabled: false,
        settings: { botToken: `123456:${'x'.repeat(30)}` },
      });
    expect(bot.status).toBe(201);
    expect(bot.body.inbox.endpoints).toEqual({
      telegramWebhook: `${gw.url}/channels/telegram/tg-bot/webhook`,
    });
    expect(bot.body.inbox.settings.botToken).toBe('[set]');
  });
});

describe('deleting an inbox', () => {
  it('deletes an unused inbox, and archives one with conversations instead', async () => {
    const unused = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Spare', channel: 'webchat' });
    const gone = await request(gw.url).delete(`/api/inboxes/${unused.body.inbox.id}`).set(auth(admin.token));
    expect(gone.status).toBe(204);
    expect(await gw.models.Inbox.exists({ _id: unused.body.inbox.id })).toBeNull();

    const desk = await createDesk(gw);
    const contact = await gw.models.Contact.create({ name: 'Cleo' });
    await gw.models.Conversation.create({
      inboxId: desk.inbox._id,
      contactId: contact._id,
      channel: 'webchat',
      number: 990001,
      status: 'resolved',
      liveKey: `resolved:${String(contact._id)}`,
    });
    const kept = await request(gw.url).delete(`/api/inboxes/${desk.inbox._id}`).set(auth(admin.token));
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ archived: true, inbox: { enabled: false } });
    expect(kept.body.inbox.archivedAt).toEqual(expect.any(String));
    const session = await request(gw.url)
      .post('/channels/webchat/sessions')
      .send({ inboxKey: desk.inbox.key });
    expect(session.status).toBeGreaterThanOrEqual(400);

    const back = await request(gw.url)
      .patch(`/api/inboxes/${desk.inbox._id}`)
      .set(auth(admin.token))
      .send({ enabled: true });
    expect(back.body.inbox).toMatchObject({ enabled: true, archivedAt: null });

    const actions = [...(await audit('inbox.deleted')), ...(await audit('inbox.archived'))].map(
      (e) => e.target.id,
    );
    expect(actions).toEqual(expect.arrayContaining([unused.body.inbox.id, String(desk.inbox._id)]));
  });

  it('refuses, with a reason, to delete an inbox a policy names', async () => {
    const inbox = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'VIP line', channel: 'webchat' });
    await request(gw.url)
      .post('/api/policies')
      .set(auth(admin.token))
      .send({
        name: 'vip line',
        order: 1,
        match: { inboxIds: [inbox.body.inbox.id] },
        targets: { reply: { ms: 10_000 } },
      })
      .expect(201);
    const res = await request(gw.url).delete(`/api/inboxes/${inbox.body.inbox.id}`).set(auth(admin.token));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'inbox_in_use', message: expect.stringMatching(/policy/) });
  });

  it('is for admins only', async () => {
    const inbox = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Mine', channel: 'webchat' });
    expect(
      (await request(gw.url).delete(`/api/inboxes/${inbox.body.inbox.id}`).set(auth(agent.token))).status,
    ).toBe(403);
    expect((await request(gw.url).delete('/api/inboxes/nope').set(auth(admin.token))).status).toBe(400);
    expect(
      (
        await request(gw.url)
          .delete(`/api/inboxes/${'0'.repeat(24)}`)
          .set(auth(admin.token))
      ).status,
    ).toBe(404);
  });
});

describe('deleting a team', () => {
  it('refuses while it has members or an inbox routes to it, then deletes it', async () => {
    const team = await request(gw.url)
      .post('/api/teams')
      .set(auth(admin.token))
      .send({ name: 'Billing', tier: 'second' });
    const teamId = team.body.team.id as string;
    const member = await createAgent(gw, { teamIds: [teamId] });

    const busy = await request(gw.url).delete(`/api/teams/${teamId}`).set(auth(admin.token));
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: 'team_has_members',
      message: 'The team has 1 member; move them to another team first.',
    });

    await request(gw.url)
      .patch(`/api/agents/${member.id}`)
      .set(auth(admin.token))
      .send({ teamIds: [] })
      .expect(200);
    const inbox = await request(gw.url)
      .post('/api/inboxes')
      .set(auth(admin.token))
      .send({ name: 'Billing chat', channel: 'webchat', secondLineTeamId: teamId });
    const used = await request(gw.url).delete(`/api/teams/${teamId}`).set(auth(admin.token));
    expect(used.status).toBe(409);
    expect(used.body.error.code).toBe('team_in_use');

    await request(gw.url)
      .patch(`/api/inboxes/${inbox.body.inbox.id}`)
      .set(auth(admin.token))
      .send({ secondLineTeamId: null })
      .expect(200);
    expect((await request(gw.url).delete(`/api/teams/${teamId}`).set(auth(admin.token))).status).toBe(204);
    expect(await gw.models.Team.exists({ _id: teamId })).toBeNull();
    expect((await audit('team.deleted')).map((e) => e.target.id)).toContain(teamId);
  });
});

describe('the audit log of configuration', () => {
  it('records agents created, changed, disabled and given a new password, without the password', async () => {
    const created = await request(gw.url)
      .post('/api/agents')
      .set(auth(admin.token))
      .send({ email: 'nia@example.test', name: 'Nia', password: 'first password 1' });
    const id = created.body.agent.id as string;
    expect(created.body.agent.active).toBe(true);
    await request(gw.url)
      .patch(`/api/agents/${id}`)
      .set(auth(admin.token))
      .send({ role: 'supervisor', password: 'second password 2', active: false })
      .expect(200);
    const mine = async (action: string) => (await audit(action)).filter((e) => e.target.id === id);
    expect(await mine('agent.created')).toHaveLength(1);
    expect((await mine('agent.role_changed'))[0]?.details).toEqual({ from: 'agent', to: 'supervisor' });
    expect(await mine('agent.password_reset')).toHaveLength(1);
    const updated = (await mine('agent.updated'))[0];
    expect(updated?.details).toMatchObject({ active: false, role: 'supervisor' });
    const all = JSON.stringify(
      await request(gw.url)
        .get('/api/audit?limit=500')
        .set(auth(admin.token))
        .then((r) => r.body),
    );
    expect(all).not.toContain('first password 1');
    expect(all).not.toContain('second password 2');
  });

  it('records calendars, policies, categories and classification rules', async () => {
    const cal = await request(gw.url)
      .post('/api/calendars')
      .set(auth(admin.token))
      .send({
        name: 'Audited hours',
        timeZone: 'Europe/London',
        weekly: { '1': [{ open: '09:00', close: '17:00' }] },
      });
    await request(gw.url)
      .patch(`/api/calendars/${cal.body.calendar.id}`)
      .set(auth(admin.token))
      .send({ holidays: [{ date: '2026-12-25' }] });
    await request(gw.url).delete(`/api/calendars/${cal.body.calendar.id}`).set(auth(admin.token)).expect(204);

    const policy = await request(gw.url)
      .post('/api/policies')
      .set(auth(admin.token))
      .send({ name: 'audited', order: 5, targets: { pickup: { ms: 60_000 } } });
    await request(gw.url)
      .patch(`/api/policies/${policy.body.policy.id}`)
      .set(auth(admin.token))
      .send({ order: 6 });
    await request(gw.url).delete(`/api/policies/${policy.body.policy.id}`).set(auth(admin.token)).expect(204);

    await request(gw.url)
      .post('/api/categories')
      .set(auth(admin.token))
      .send({ key: 'audited', names: { en: 'Audited', zh: '审计' } })
      .expect(201);
    await request(gw.url)
      .patch('/api/categories/audited')
      .set(auth(admin.token))
      .send({ names: { zh: '已审计' } })
      .expect(200);
    const rule = await request(gw.url)
      .post('/api/classification-rules')
      .set(auth(admin.token))
      .send({ name: 'audit words', category: 'audited', keywords: ['audit'] });
    expect(rule.status).toBe(201);
    await request(gw.url)
      .delete(`/api/classification-rules/${rule.body.rule.id}`)
      .set(auth(admin.token))
      .expect(204);
    await request(gw.url).delete('/api/categories/audited').set(auth(admin.token)).expect(204);

    const actions = (
      await request(gw.url).get('/api/audit?limit=500').set(auth(admin.token))
    ).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'calendar.created',
        'calendar.updated',
        'calendar.deleted',
        'policy.created',
        'policy.updated',
        'policy.deleted',
        'category.created',
        'category.updated',
        'category.deleted',
        'classification_rule.created',
        'classification_rule.deleted',
      ]),
    );
    const policyUpdate = (await audit('policy.updated')).find((e) => e.target.id === policy.body.policy.id);
    expect(policyUpdate?.details).toEqual({ order: 6 });
  });

  it('records nothing for a refused change', async () => {
    const before = (await audit('team.created')).length;
    expect((await request(gw.url).post('/api/teams').set(auth(admin.token)).send({ name: '' })).status).toBe(
      400,
    );
    expect(
      (await request(gw.url).post('/api/teams').set(auth(agent.token)).send({ name: 'Sneaky' })).status,
    ).toBe(403);
    expect(await audit('team.created')).toHaveLength(before);
  });
});
