/**
 * Canned responses (标准话术): admins manage every one, supervisors their teams', agents
 * list the global ones and their teams'; bad input is refused with a reason and stores nothing.
 */
import { fillVariables, unknownVariables } from '../../shared/canned';
import { api, createAgent, createDesk, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

interface Canned {
  id: string;
  title: string;
  shortcut: string;
  text: string;
  teamId: string | null;
  editable: boolean;
}

async function setup() {
  const a = await createDesk(gw);
  const b = await createDesk(gw);
  const admin = await createAgent(gw, { role: 'admin' });
  const supervisor = await a.agent({ role: 'supervisor' });
  const agentA = await a.agent();
  const agentB = await b.agent();
  return { a, b, admin, supervisor, agentA, agentB, teamA: String(a.team._id), teamB: String(b.team._id) };
}

const create = (token: string, body: unknown) =>
  api<{ cannedResponse: Canned; error: { code: string; message: string } }>(
    gw.url,
    token,
    'POST',
    '/canned-responses',
    body,
  );
const list = async (token: string) =>
  (await api<{ cannedResponses: Canned[] }>(gw.url, token, 'GET', '/canned-responses')).body.cannedResponses;

describe('canned responses', () => {
  it('lets an admin create global and team responses, and each agent lists what applies to them', async () => {
    const s = await setup();
    const g = await create(s.admin.token, {
      title: 'Greeting',
      shortcut: '/Hello',
      text: 'Hello {customer.name}, this is {agent.name}.',
    });
    expect(g.status).toBe(201);
    expect(g.body.cannedResponse).toMatchObject({ shortcut: 'hello', teamId: null, editable: true });
    const t = await create(s.admin.token, {
      title: '退款说明',
      shortcut: '退款',
      text: '您好，{customer.name}，您的工单 #{conversation.number} 已提交退款。',
      teamId: s.teamA,
    });
    expect(t.status).toBe(201);

    const seenByA = (await list(s.agentA.token)).map((c) => c.shortcut);
    expect(seenByA).toEqual(expect.arrayContaining(['hello', '退款']));
    const seenByB = (await list(s.agentB.token)).map((c) => c.shortcut);
    expect(seenByB).toContain('hello');
    expect(seenByB).not.toContain('退款');
    expect((await list(s.agentA.token)).every((c) => !c.editable)).toBe(true);
  });

  it("lets a supervisor manage their team's responses only", async () => {
    const s = await setup();
    const own = await create(s.supervisor.token, {
      title: 'Wait',
      shortcut: 'wait',
      text: 'One moment.',
      teamId: s.teamA,
    });
    expect(own.status).toBe(201);
    expect(own.body.cannedResponse.editable).toBe(true);

    const global = await create(s.supervisor.token, { title: 'Bye', shortcut: 'bye', text: 'Goodbye.' });
    expect(global.status).toBe(403);
    const other = await create(s.supervisor.token, { title: 'X', shortcut: 'x', text: 'x', teamId: s.teamB });
    expect(other.status).toBe(403);

    const changed = await api<{ cannedResponse: Canned }>(
      gw.url,
      s.supervisor.token,
      'PATCH',
      `/canned-responses/${own.body.cannedResponse.id}`,
      {
        text: 'One moment please, {customer.name}.',
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.cannedResponse.text).toBe('One moment please, {customer.name}.');
    // Moving it to another team or to everyone is not theirs to do.
    const moved = await api(
      gw.url,
      s.supervisor.token,
      'PATCH',
      `/canned-responses/${own.body.cannedResponse.id}`,
      { teamId: null },
    );
    expect(moved.status).toBe(403);

    const adminsOne = await create(s.admin.token, { title: 'G', shortcut: 'g', text: 'g' });
    const notTheirs = await api(
      gw.url,
      s.supervisor.token,
      'DELETE',
      `/canned-responses/${adminsOne.body.cannedResponse.id}`,
    );
    expect(notTheirs.status).toBe(403);
    const agentTries = await create(s.agentA.token, {
      title: 'A',
      shortcut: 'a',
      text: 'a',
      teamId: s.teamA,
    });
    expect(agentTries.status).toBe(403);

    const del = await api(
      gw.url,
      s.supervisor.token,
      'DELETE',
      `/canned-responses/${own.body.cannedResponse.id}`,
    );
    expect(del.status).toBe(204);
    expect(await gw.models.CannedResponse.exists({ _id: own.body.cannedResponse.id })).toBeNull();
    const again = await api(
      gw.url,
      s.supervisor.token,
      'DELETE',
      `/canned-responses/${own.body.cannedResponse.id}`,
    );
    expect(again.status).toBe(404);
    const audit = await gw.models.StaffAuditEntry.find({
      action: /^canned\./,
      actorId: s.supervisor.id,
    }).lean();
    expect(audit.map((e) => e.action).sort()).toEqual(['canned.created', 'canned.deleted', 'canned.updated']);
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    const s = await setup();
    const before = await gw.models.CannedResponse.countDocuments();
    const cases: [unknown, RegExp][] = [
      [{ shortcut: 'a', text: 'x' }, /title/],
      [{ title: 'T', shortcut: 'two words', text: 'x' }, /shortcut: letters, digits/],
      [{ title: 'T', shortcut: '', text: 'x' }, /shortcut/],
      [{ title: 'T', shortcut: 'ok', text: '   ' }, /text: must not be empty/],
      [{ title: 'T', shortcut: 'ok', text: 'Hi {customer.nmae}' }, /unknown variable \{customer\.nmae\}/],
      [{ title: 'T', shortcut: 'ok', text: 'x', teamId: 'nope' }, /teamId: must be an id/],
      [
        { title: 'T', shortcut: 'ok', text: 'x', teamId: '0123456789abcdef01234567' },
        /teamId: there is no such team/,
      ],
      [{ title: 'T', shortcut: 'ok', text: 'x', extra: 1 }, /Unrecognized key/],
      [{ title: 'T'.repeat(101), shortcut: 'ok', text: 'x' }, /title: at most 100/],
    ];
    for (const [body, reason] of cases) {
      const res = await create(s.admin.token, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(reason);
    }
    expect(await gw.models.CannedResponse.countDocuments()).toBe(before);

    expect(
      (await create(s.admin.token, { title: 'T', shortcut: 'dup', text: 'x', teamId: s.teamB })).status,
    ).toBe(201);
    const dup = await create(s.admin.token, { title: 'T2', shortcut: 'DUP', text: 'y', teamId: s.teamB });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate_shortcut');
    // The same shortcut in another scope is another response.
    expect(
      (await create(s.admin.token, { title: 'T', shortcut: 'dup', text: 'x', teamId: s.teamA })).status,
    ).toBe(201);

    const empty = await api(gw.url, s.admin.token, 'PATCH', '/canned-responses/0123456789abcdef01234567', {});
    expect(empty.status).toBe(400);
    const missing = await api(gw.url, s.admin.token, 'PATCH', '/canned-responses/0123456789abcdef01234567', {
      text: 'x',
    });
    expect(missing.status).toBe(404);
    const badId = await api(gw.url, s.admin.token, 'DELETE', '/canned-responses/xyz');
    expect(badId.status).toBe(400);
    const anonymous = await fetch(`${gw.url}/api/canned-responses`);
    expect(anonymous.status).toBe(401);
  });
});

describe('canned response variables', () => {
  it('fills known variables and falls back where a value is missing', () => {
    const text = 'Hi {customer.name}, I am {agent.name} (#{conversation.number}) {other}';
    expect(
      fillVariables(text, { 'customer.name': 'Li Na', 'agent.name': 'Sam', 'conversation.number': 42 }),
    ).toBe('Hi Li Na, I am Sam (#42) {other}');
    expect(
      fillVariables(text, { 'customer.name': null, 'agent.name': 'Sam' }, { 'customer.name': 'there' }),
    ).toBe('Hi there, I am Sam (#) {other}');
    expect(unknownVariables(text)).toEqual(['{other}']);
  });
});
