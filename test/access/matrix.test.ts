/**
 * The access model as a table: an agent, a supervisor and an admin, each against a
 * conversation they hold ("own"), one a teammate holds ("team") and one of another team
 * ("other"), through every REST endpoint and socket event that reads or acts on
 * conversations, contacts and their records. Seeing is for one's teams (other teams'
 * conversations answer 404); acting on what a teammate holds needs a transfer (409) unless
 * one supervises the team; admins see and act on everything. Then the realtime audiences.
 */
import type { AgentView, ConversationView, SlaAlertView } from '../../shared/protocol';
import { scopeOf, authority, type Scope } from '../../server/access/rules';
import type { InboxDoc } from '../../server/domain/inbox';
import {
  api,
  callRaw,
  call,
  connectAgent,
  createAgent,
  createInbox,
  nextEvent,
  suiteGateway,
  type AgentClient,
} from '../harness/gateway';

jest.setTimeout(15_000);

// The people here never sign in (offline): their conversations stay theirs for the whole
// run, which may outlast the default grace after which an offline agent's go back to the queue.
const gw = suiteGateway({ env: { SEARCH_INDEX_DELAY_MS: '50', AGENT_OFFLINE_GRACE_MS: '3600000' } });

type Role = 'agent' | 'supervisor' | 'admin';
type Relation = 'own' | 'team' | 'other';
type Outcome = 'ok' | 'not_found' | 'not_assigned_to_you' | 'forbidden' | 'no_open_complaint';
interface Person {
  id: string;
  token: string;
  name: string;
  scope: Scope;
  socket: AgentClient;
}

const people: Record<'a1' | 'b1' | 'c2' | 's1' | 's2' | 'adm' | 'watcher', Person> = {} as never;
const actors: Record<Role, keyof typeof people> = { agent: 'a1', supervisor: 's1', admin: 'adm' };
let inbox1: InboxDoc;
let inbox2: InboxDoc;
let team1 = '';
let team2 = '';
let seq = 0;

interface Conv {
  id: string;
  contactId: string;
  number: number;
}

/** A conversation on the inbox, held by `holder` (or queued, or resolved after `holder` held it). */
async function conversation(
  inbox: InboxDoc,
  holder: Person | null,
  state: 'queued' | 'assigned' | 'resolved' = 'assigned',
): Promise<Conv> {
  seq++;
  const { conversationId } = await gw.app.ingest.ingest({
    inboxId: String(inbox._id),
    from: { channel: 'sms', address: `+1555100${String(seq).padStart(4, '0')}` },
    dedupeKey: `matrix-${seq}`,
    text: `hello ${seq}`,
  });
  if (holder && state !== 'queued') await gw.app.router.take(holder.scope, conversationId);
  if (state === 'resolved') await gw.app.router.resolve(authority(holder!.id), conversationId);
  const c = await gw.models.Conversation.findById(conversationId).lean();
  return { id: conversationId, contactId: String(c!.contactId), number: c!.number };
}

/** The conversation in the given relation to the actor. */
const fresh = (role: Role, rel: Relation, state: 'queued' | 'assigned' | 'resolved' = 'assigned') =>
  rel === 'own'
    ? conversation(inbox1, people[actors[role]], state)
    : rel === 'team'
      ? conversation(inbox1, people.b1, state)
      : conversation(inbox2, people.c2, state);

const ROLES: Role[] = ['agent', 'supervisor', 'admin'];
const RELATIONS: Relation[] = ['own', 'team', 'other'];
const shared = {} as Record<Role, Record<Relation, Conv>>;
/** The conversations of the rows that change them, by row, role and relation. */
const own = new Map<string, Conv>();

beforeAll(async () => {
  const t1 = await gw.models.Team.create({ name: 'Matrix first line' });
  const t2 = await gw.models.Team.create({ name: 'Matrix other team' });
  const t3 = await gw.models.Team.create({ name: 'Matrix second line', tier: 'second' });
  team1 = String(t1._id);
  team2 = String(t2._id);
  inbox1 = await createInbox(gw, { teamId: team1, name: 'Matrix one' });
  inbox2 = await createInbox(gw, { teamId: team2, name: 'Matrix two' });
  await gw.models.Inbox.updateMany({}, { $set: { secondLineTeamId: t3._id } });
  const make = async (name: string, role: Role, teamIds: string[]): Promise<Person> => {
    const a = await createAgent(gw, { name, role, teamIds, capacity: 100 });
    const doc = await gw.models.Agent.findById(a.id).lean();
    return {
      id: a.id,
      token: a.token,
      name,
      scope: scopeOf(doc!),
      socket: await connectAgent(gw.url, a.token),
    };
  };
  people.a1 = await make('Ana', 'agent', [team1]);
  people.b1 = await make('Bob', 'agent', [team1]);
  people.c2 = await make('Cai', 'agent', [team2]);
  people.s1 = await make('Sue', 'supervisor', [team1]);
  people.s2 = await make('Sam', 'supervisor', [team2]);
  people.adm = await make('Ada', 'admin', []);
  people.watcher = await make('Wen', 'admin', []);
  for (const role of ROLES) {
    const [own, team, other] = await Promise.all(RELATIONS.map((rel) => fresh(role, rel)));
    shared[role] = { own: own!, team: team!, other: other! };
  }
  // The rows that change their conversation get one each, made a few at a time up front.
  const wanted = cases.filter(([, , , row]) => row.fresh);
  for (let i = 0; i < wanted.length; i += 8)
    await Promise.all(
      wanted.slice(i, i + 8).map(async ([what, role, rel, row]) => {
        own.set(`${what}|${role}|${rel}`, await fresh(role, rel, row.fresh));
      }),
    );
}, 60_000);

afterAll(() => {
  for (const p of Object.values(people)) p.socket?.close();
});

const seeing = (role: Role, rel: Relation): Outcome =>
  rel === 'other' && role !== 'admin' ? 'not_found' : 'ok';
const handling = (role: Role, rel: Relation): Outcome =>
  seeing(role, rel) !== 'ok'
    ? seeing(role, rel)
    : role === 'agent' && rel === 'team'
      ? 'not_assigned_to_you'
      : 'ok';

async function rest(p: Person, method: string, path: string, body?: unknown): Promise<Outcome> {
  const r = await api<{ error?: { code: string } }>(gw.url, p.token, method, path, body);
  if (r.status < 300) return 'ok';
  return (r.body.error?.code ?? `http_${r.status}`) as Outcome;
}

async function socket(p: Person, event: string, payload: unknown): Promise<Outcome> {
  const ack = await callRaw(p.socket, event, payload);
  return ack.ok ? 'ok' : (ack.error.code as Outcome);
}

type Probe = (p: Person, c: Conv) => Promise<Outcome>;
interface Row {
  what: string;
  expect: (role: Role, rel: Relation) => Outcome;
  probe: Probe;
  /** The probe changes the conversation: it gets one of its own, in this state. */
  fresh?: 'queued' | 'assigned' | 'resolved';
}

const contains = (list: { id: string }[] | undefined, c: Conv): Outcome =>
  list?.some((x) => x.id === c.id) ? 'ok' : 'not_found';

const rows: Row[] = [
  // Reading.
  {
    what: 'GET /conversations/:id',
    expect: seeing,
    probe: (p, c) => rest(p, 'GET', `/conversations/${c.id}`),
  },
  {
    what: 'GET /conversations/:id/events',
    expect: seeing,
    probe: (p, c) => rest(p, 'GET', `/conversations/${c.id}/events`),
  },
  {
    what: 'GET /conversations/:id/complaint',
    expect: seeing,
    probe: (p, c) => rest(p, 'GET', `/conversations/${c.id}/complaint`),
  },
  {
    what: 'GET /conversations (list)',
    expect: seeing,
    probe: async (p, c) => {
      const r = await api<{ conversations: ConversationView[] }>(
        gw.url,
        p.token,
        'GET',
        `/conversations?q=${c.number}&limit=200`,
      );
      return contains(r.body.conversations, c);
    },
  },
  {
    what: 'GET /search',
    expect: seeing,
    probe: async (p, c) => {
      const r = await api<{ results: { conversation: ConversationView }[] }>(
        gw.url,
        p.token,
        'GET',
        `/search?q=%23${c.number}`,
      );
      return contains(
        r.body.results?.map((x) => x.conversation),
        c,
      );
    },
  },
  { what: 'GET /contacts/:id', expect: seeing, probe: (p, c) => rest(p, 'GET', `/contacts/${c.contactId}`) },
  {
    what: 'GET /contacts/:id/details',
    expect: seeing,
    probe: (p, c) => rest(p, 'GET', `/contacts/${c.contactId}/details`),
  },
  {
    what: 'socket conversation:get',
    expect: seeing,
    probe: (p, c) => socket(p, 'conversation:get', { conversationId: c.id }),
  },
  {
    what: 'socket messages:since',
    expect: seeing,
    probe: (p, c) => socket(p, 'messages:since', { conversationId: c.id }),
  },
  // Acting on the conversation.
  {
    what: 'socket message:send (reply)',
    expect: handling,
    probe: (p, c) =>
      socket(p, 'message:send', { conversationId: c.id, clientId: `r-${++seq}`, text: 'On it.' }),
  },
  {
    what: 'socket message:send (note)',
    expect: handling,
    probe: (p, c) =>
      socket(p, 'message:send', {
        conversationId: c.id,
        clientId: `n-${++seq}`,
        text: 'note',
        private: true,
      }),
  },
  {
    what: 'socket messages:read',
    expect: handling,
    probe: async (p, c) => {
      const m = await gw.models.Message.findOne({ conversationId: c.id, direction: 'in' }).lean();
      return socket(p, 'messages:read', { conversationId: c.id, upTo: String(m!._id) });
    },
  },
  {
    what: 'socket typing (seen by a watcher)',
    expect: handling,
    probe: async (p, c) => {
      // A watcher of the conversation hears the typing; a refused one is never relayed.
      const watcher = people.watcher;
      await call(watcher.socket, 'conversation:get', { conversationId: c.id });
      const heard = nextEvent<{ conversationId: string; name: string | null }>(
        watcher.socket,
        'typing',
        (t) => t.conversationId === c.id && t.name === p.name,
        700,
      ).then(
        () => 'ok' as const,
        () => 'refused' as const,
      );
      p.socket.emit('typing', { conversationId: c.id, typing: true });
      const outcome = await heard;
      if (outcome === 'ok') return 'ok';
      // Refused: say why, as the acked events would.
      return (await socket(p, 'messages:since', { conversationId: c.id })) === 'ok'
        ? 'not_assigned_to_you'
        : 'not_found';
    },
  },
  {
    what: 'socket conversation:classify',
    expect: handling,
    probe: (p, c) => socket(p, 'conversation:classify', { conversationId: c.id, labels: ['matrix'] }),
  },
  {
    what: 'PATCH /conversations/:id',
    expect: handling,
    probe: (p, c) => rest(p, 'PATCH', `/conversations/${c.id}`, { labels: ['matrix-rest'] }),
  },
  {
    what: 'PATCH /contacts/:id/details',
    // Agents edit the notes of customers they serve; a teammate's customer is seen, not edited.
    expect: (role, rel) => (role === 'agent' && rel === 'team' ? 'forbidden' : seeing(role, rel)),
    probe: (p, c) => rest(p, 'PATCH', `/contacts/${c.contactId}/details`, { notes: 'matrix' }),
  },
  {
    what: 'POST /conversations/:id/solution',
    // None of these is a complaint: whoever may see the conversation is told so; others learn nothing.
    expect: (role, rel) => (seeing(role, rel) === 'ok' ? 'no_open_complaint' : 'not_found') as Outcome,
    probe: (p, c) =>
      rest(p, 'POST', `/conversations/${c.id}/solution`, { text: 'A refund.', clientId: `s-${++seq}` }),
  },
  {
    what: 'socket conversation:resolve',
    expect: handling,
    fresh: 'assigned',
    probe: (p, c) => socket(p, 'conversation:resolve', { conversationId: c.id }),
  },
  {
    what: 'socket conversation:transfer (to the first team)',
    expect: handling,
    fresh: 'assigned',
    probe: (p, c) => socket(p, 'conversation:transfer', { conversationId: c.id, toTeamId: team1 }),
  },
  {
    what: 'socket conversation:escalate',
    expect: handling,
    fresh: 'assigned',
    probe: (p, c) => socket(p, 'conversation:escalate', { conversationId: c.id }),
  },
  {
    what: 'POST /conversations/:id/escalate',
    expect: handling,
    fresh: 'assigned',
    probe: (p, c) => rest(p, 'POST', `/conversations/${c.id}/escalate`, {}),
  },
  {
    what: 'socket conversation:reopen (resolved, last held by …)',
    expect: handling,
    fresh: 'resolved',
    probe: (p, c) => socket(p, 'conversation:reopen', { conversationId: c.id }),
  },
  {
    what: 'socket conversation:take (queued in … team)',
    // Nobody holds a queued conversation: it is its team's to take.
    expect: seeing,
    fresh: 'queued',
    probe: (p, c) => socket(p, 'conversation:take', { conversationId: c.id }),
  },
];

const cases: [string, Role, Relation, Row][] = rows.flatMap((row) =>
  ROLES.flatMap((role) => RELATIONS.map((rel): [string, Role, Relation, Row] => [row.what, role, rel, row])),
);

describe('conversations, contacts and their records', () => {
  it.each(cases)('%s — %s, %s conversation', async (what, role, rel, row) => {
    const c = row.fresh ? own.get(`${what}|${role}|${rel}`)! : shared[role][rel];
    expect(await row.probe(people[actors[role]], c)).toBe(row.expect(role, rel));
  });
});

describe('colleagues, teams and their records', () => {
  const seesPerson: [Role, keyof typeof people, boolean][] = [
    ['agent', 'a1', true],
    ['agent', 'b1', true],
    ['agent', 'c2', false],
    ['supervisor', 'a1', true],
    ['supervisor', 's2', false],
    ['admin', 'c2', true],
    ['admin', 's2', true],
  ];
  it.each(seesPerson)('GET /agents — %s sees %s: %s', async (role, who, seen) => {
    const r = await api<{ agents: AgentView[] }>(gw.url, people[actors[role]].token, 'GET', '/agents');
    expect(r.body.agents.some((a) => a.id === people[who].id)).toBe(seen);
  });

  const teamRecords: [Role, 'team1' | 'team2', boolean][] = [
    ['agent', 'team1', true],
    ['agent', 'team2', false],
    ['supervisor', 'team1', true],
    ['supervisor', 'team2', false],
    ['admin', 'team1', true],
    ['admin', 'team2', true],
  ];
  it.each(teamRecords)('GET /followups — %s sees the open follow-ups of %s: %s', async (role, team, seen) => {
    const teamId = team === 'team1' ? team1 : team2;
    const c = shared.admin.other;
    const task = await gw.models.FollowUpTask.create({
      key: `matrix-${++seq}`,
      contactId: c.contactId,
      reason: 'new_customer',
      teamId,
      clock: {
        startedAt: new Date(),
        dueAt: new Date(Date.now() + 86_400_000),
        warnAt: new Date(),
        targetMs: 1,
      },
      dueAt: new Date(Date.now() + 86_400_000),
    });
    const r = await api<{ followups: { id: string }[] }>(
      gw.url,
      people[actors[role]].token,
      'GET',
      '/followups',
    );
    expect(r.body.followups.some((t) => t.id === String(task._id))).toBe(seen);
  });

  it.each(teamRecords)('GET /shifts — %s reads the rota of %s: %s', async (role, team, seen) => {
    const shift = await gw.models.Shift.create({
      teamId: team === 'team1' ? team1 : team2,
      name: `Matrix ${++seq}`,
      timeZone: 'Asia/Shanghai',
    });
    const r = await api<{ shifts: { id: string }[] }>(gw.url, people[actors[role]].token, 'GET', '/shifts');
    expect(r.body.shifts.some((s) => s.id === String(shift._id))).toBe(seen);
  });

  it.each([
    ['agent', 403],
    ['supervisor', 200],
    ['admin', 200],
  ] as [Role, number][])('GET /reports/overview and /reports/attainment — %s: %s', async (role, status) => {
    const p = people[actors[role]];
    expect((await api(gw.url, p.token, 'GET', '/reports/attainment')).status).toBe(status);
    expect((await api(gw.url, p.token, 'GET', '/reports/overview')).status).toBe(status);
  });

  it.each([
    ['agent', 'forbidden'],
    ['supervisor', 'ok'],
    ['admin', 'ok'],
  ] as [Role, Outcome][])(
    'socket supervisor:snapshot — %s: %s, holding only what they see',
    async (role, outcome) => {
      const p = people[actors[role]];
      expect(await socket(p, 'supervisor:snapshot', {})).toBe(outcome);
      if (outcome !== 'ok') return;
      const snap = await call<{ agents: AgentView[] }>(p.socket, 'supervisor:snapshot', {});
      expect(snap.agents.some((a) => a.id === people.c2.id)).toBe(role === 'admin');
      expect(snap.agents.some((a) => a.id === people.a1.id)).toBe(true);
    },
  );

  it.each([
    ['agent', false],
    ['supervisor', false],
    ['admin', true],
  ] as [Role, boolean][])('socket queue:get — %s sees the other team’s queue: %s', async (role, other) => {
    const mine = await conversation(inbox1, null, 'queued');
    const theirs = await conversation(inbox2, null, 'queued');
    const q = await call<ConversationView[]>(people[actors[role]].socket, 'queue:get', {});
    expect(q.some((c) => c.id === mine.id)).toBe(true);
    expect(q.some((c) => c.id === theirs.id)).toBe(other);
  });
});

/** Everything `socket` heard of `event` until a round trip on it (the server answers in order). */
async function heardBy(p: Person, event: string, during: () => Promise<void>) {
  const heard: unknown[] = [];
  const listen = (x: unknown) => heard.push(x);
  const s = p.socket as unknown as import('socket.io-client').Socket;
  s.on(event, listen);
  await during();
  await call(s, 'queue:get', {});
  s.off(event, listen);
  return heard;
}

describe('realtime audiences follow the access model', () => {
  it('conversation:updated reaches the holder, the team’s supervisors and admins — not other teams', async () => {
    const c = await conversation(inbox1, people.a1);
    const about = (v: ConversationView) => v.id === c.id && v.labels.includes('audience');
    const [s2, c2] = await Promise.all(
      [people.s2, people.c2].map((p) =>
        heardBy(p, 'conversation:updated', async () => {
          await Promise.all([
            nextEvent(people.s1.socket, 'conversation:updated', about),
            nextEvent(people.adm.socket, 'conversation:updated', about),
            nextEvent(people.a1.socket, 'conversation:updated', about),
            call(people.a1.socket, 'conversation:classify', { conversationId: c.id, labels: ['audience'] }),
          ]);
        }),
      ),
    );
    expect((s2 as ConversationView[]).filter(about)).toHaveLength(0);
    expect((c2 as ConversationView[]).filter(about)).toHaveLength(0);
  });

  it('queue:updated lists a team’s queue to its people and admins only', async () => {
    let id = '';
    const inQueue = (q: ConversationView[]) => q.some((x) => x.id === id);
    const c2 = nextEvent<ConversationView[]>(people.c2.socket, 'queue:updated', () => true);
    const s2 = nextEvent<ConversationView[]>(people.s2.socket, 'queue:updated', () => true);
    const seen = Promise.all(
      [people.a1, people.b1, people.s1, people.adm].map((p) =>
        nextEvent<ConversationView[]>(p.socket, 'queue:updated', (q) => id !== '' && inQueue(q)),
      ),
    );
    id = (await conversation(inbox1, null, 'queued')).id;
    await seen;
    expect(inQueue(await c2)).toBe(false);
    expect(inQueue(await s2)).toBe(false);
  });

  it('message and typing reach watchers only through conversation:get, which other teams are refused', async () => {
    const c = await conversation(inbox1, people.a1);
    expect(await socket(people.c2, 'conversation:get', { conversationId: c.id })).toBe('not_found');
    const heard = await heardBy(people.c2, 'message', async () => {
      await Promise.all([
        nextEvent(people.a1.socket, 'message', (m: { conversationId: string }) => m.conversationId === c.id),
        call(people.a1.socket, 'message:send', { conversationId: c.id, clientId: `m-${++seq}`, text: 'Hi' }),
      ]);
    });
    expect(heard.filter((m) => (m as { conversationId: string }).conversationId === c.id)).toHaveLength(0);
  });

  it('sla:* alerts of a team’s conversation reach its supervisors and admins, not another team’s', async () => {
    const fast = await createInbox(gw, { teamId: team1, name: 'Matrix fast', sla: { pickupTargetMs: 800 } });
    let id = '';
    const alert = (a: SlaAlertView) => a.conversationId === id && a.clock === 'pickup';
    const [s2] = await Promise.all(
      [people.s2].map((p) =>
        heardBy(p, 'sla:warning', async () => {
          const seen = Promise.all(
            [people.s1, people.adm].map((x) =>
              nextEvent<SlaAlertView>(x.socket, 'sla:warning', (a) => alert(a)),
            ),
          );
          id = (await conversation(fast, null, 'queued')).id;
          await seen;
        }),
      ),
    );
    expect((s2 as SlaAlertView[]).filter(alert)).toHaveLength(0);
  });

  it('agent:updated (presence and load) reaches teammates and admins, not other teams', async () => {
    const mine = (a: AgentView) => a.id === people.b1.id && a.presence === 'away';
    const heard = await heardBy(people.c2, 'agent:updated', async () => {
      await Promise.all([
        nextEvent(people.a1.socket, 'agent:updated', mine),
        nextEvent(people.adm.socket, 'agent:updated', mine),
        call(people.b1.socket, 'presence:set', { presence: 'away' }),
      ]);
    });
    expect((heard as AgentView[]).filter(mine)).toHaveLength(0);
  });
});
