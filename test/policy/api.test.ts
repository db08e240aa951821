/** The policy API: admins write ordered rules, supervisors read them and the built-in default; bad input is a 400 with its reason. */
import { api, createAgent, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();
type Rule = { id: string; name: string; order: number; enabled: boolean; targets: Record<string, unknown> };

it('lets admins create, change and delete rules and supervisors read them', async () => {
  const admin = await createAgent(gw, { role: 'admin' });
  const sup = await createAgent(gw, { role: 'supervisor' });
  const agent = await createAgent(gw);
  const body = {
    name: 'VIP chat',
    order: 5,
    match: { vip: true, channels: ['webchat'] },
    targets: { pickup: { ms: 60_000 } },
  };

  expect((await api(gw.url, sup.token, 'POST', '/policies', body)).status).toBe(403);
  expect((await api(gw.url, agent.token, 'GET', '/policies')).status).toBe(403);
  const created = await api<{ policy: Rule }>(gw.url, admin.token, 'POST', '/policies', body);
  expect(created.status).toBe(201);
  expect(created.body.policy).toMatchObject({
    name: 'VIP chat',
    enabled: true,
    targets: { pickup: { ms: 60_000, businessHours: false } },
  });

  const id = created.body.policy.id;
  const patched = await api<{ policy: Rule }>(gw.url, admin.token, 'PATCH', `/policies/${id}`, {
    enabled: false,
  });
  expect(patched.body.policy.enabled).toBe(false);
  const listed = await api<{ policies: Rule[] }>(gw.url, sup.token, 'GET', '/policies');
  expect(listed.body.policies.map((p) => p.id)).toContain(id);
  expect((await api(gw.url, admin.token, 'DELETE', `/policies/${id}`)).status).toBe(204);
  expect((await api(gw.url, admin.token, 'DELETE', `/policies/${id}`)).status).toBe(404);
});

it('answers invalid rules with 400 and the reason', async () => {
  const admin = await createAgent(gw, { role: 'admin' });
  const bad = async (b: unknown) => {
    const r = await api<{ error: { code: string; message: string } }>(
      gw.url,
      admin.token,
      'POST',
      '/policies',
      b,
    );
    expect(r.status).toBe(400);
    return r.body.error.message;
  };
  expect(await bad({ name: 'x', order: 1, targets: {} })).toMatch(/at least one clock/);
  expect(await bad({ name: 'x', order: 1, targets: { lunch: { ms: 1 } } })).toMatch(/targets/);
  expect(await bad({ name: 'x', order: 1, targets: { reply: { ms: -5 } } })).toMatch(/targets\.reply\.ms/);
  expect(
    await bad({
      name: 'x',
      order: 1,
      match: { inboxIds: ['0123456789abcdef01234567'] },
      targets: { reply: { ms: 5 } },
    }),
  ).toMatch(/inbox was not found/);
});

it('shows the built-in handbook default', async () => {
  const sup = await createAgent(gw, { role: 'supervisor' });
  const res = await api<{ policies: Rule[] }>(gw.url, sup.token, 'GET', '/policies/default');
  const general = res.body.policies.find((p) => p.name === 'general');
  expect(general?.targets).toMatchObject({
    pickup: { ms: 300_000 },
    reply: { ms: 20_000 },
    escalation: { ms: 7_200_000 },
  });
  expect(res.body.policies.find((p) => p.name === 'email')?.targets).toMatchObject({
    pickup: { ms: 14_400_000 },
  });
});
