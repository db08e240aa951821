/**
 * Inbox changes are applied one after another: several administrators saving the same
 * inbox at once never bring the gateway down, and the inbox works afterwards.
 */
import { gatewayEnv, uniqueDbName } from '../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../harness/process';

jest.setTimeout(120_000);

const dbName = uniqueDbName('inboxchg');
const admin = { email: 'admin@example.test', password: 'admin password' };
let gw: GatewayProcess;
let token = '';

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${gw.url}/api${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
  });

beforeAll(async () => {
  gw = await spawnGateway(gatewayEnv(dbName, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password }));
  const login = await api('/auth/login', { method: 'POST', body: JSON.stringify(admin) });
  token = ((await login.json()) as { token: string }).token;
});
afterAll(async () => {
  await gw.stop();
});

it('survives concurrent saves of one inbox and keeps serving it', async () => {
  const created = await api('/inboxes', {
    method: 'POST',
    body: JSON.stringify({ name: 'Busy desk', channel: 'webchat' }),
  });
  expect(created.status).toBe(201);
  const { inbox } = (await created.json()) as { inbox: { id: string; key: string } };

  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        api(`/inboxes/${inbox.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ name: `Busy desk ${round}.${n}`, enabled: true }),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  }

  expect(gw.child.exitCode).toBeNull();
  expect(gw.stderr()).not.toMatch(/Unhandled|Connection is closed/);
  expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  // The inbox still takes visitors after the restarts.
  const session = await fetch(`${gw.url}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inboxKey: inbox.key }),
  });
  expect(session.status).toBe(200);
});
