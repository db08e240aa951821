/** The choice of agent for a queued conversation. */
import { Types } from 'mongoose';
import type { AgentDoc } from '../../server/domain/agent';
import { pickAgent } from '../../server/routing/pick';

const team = new Types.ObjectId();
function agent(name: string, over: Partial<AgentDoc> = {}): AgentDoc {
  return {
    _id: new Types.ObjectId(),
    email: `${name}@x.test`,
    name,
    passwordHash: '',
    role: 'agent',
    capacity: 3,
    skills: [],
    teamIds: [team],
    presence: 'online',
    presenceChangedAt: new Date(),
    lastOfferedAt: null,
    active: true,
    createdAt: new Date(),
    ...over,
  };
}
const entry = (
  over: Partial<{
    teamId: Types.ObjectId | null;
    offerSkips: Types.ObjectId[];
    lastOfferEndedAt: Date | null;
  }> = {},
) => ({
  teamId: team,
  offerSkips: [],
  lastOfferEndedAt: null,
  ...over,
});

it('picks the least busy agent with free capacity, then the one offered longest ago', () => {
  const a = agent('a', { lastOfferedAt: new Date(2000) });
  const b = agent('b', { lastOfferedAt: new Date(1000) });
  const c = agent('c');
  const loads = new Map([
    [String(a._id), 1],
    [String(b._id), 1],
    [String(c._id), 3],
  ]);
  expect(pickAgent(entry(), [a, b, c], loads, 'least-busy', 0)?.name).toBe('b');
  loads.set(String(b._id), 2);
  expect(pickAgent(entry(), [a, b, c], loads, 'least-busy', 0)?.name).toBe('a');
});

it('round robin ignores load and takes turns', () => {
  const a = agent('a', { lastOfferedAt: new Date(2000) });
  const b = agent('b', { lastOfferedAt: new Date(1000) });
  const loads = new Map([[String(b._id), 2]]);
  expect(pickAgent(entry(), [a, b], loads, 'round-robin', 0)?.name).toBe('b');
});

it('only offers a team’s conversation to that team', () => {
  const outsider = agent('o', { teamIds: [] });
  expect(pickAgent(entry(), [outsider], new Map(), 'least-busy', 0)).toBeNull();
  expect(pickAgent(entry({ teamId: null }), [outsider], new Map(), 'least-busy', 0)?.name).toBe('o');
});

it('skips agents who let the entry pass, and starts a new round only after a pause', () => {
  const a = agent('a');
  const b = agent('b');
  const now = new Date(100_000);
  expect(pickAgent(entry({ offerSkips: [a._id] }), [a, b], new Map(), 'least-busy', 30_000, now)?.name).toBe(
    'b',
  );
  const everyone = entry({ offerSkips: [a._id, b._id], lastOfferEndedAt: new Date(90_000) });
  expect(pickAgent(everyone, [a, b], new Map(), 'least-busy', 30_000, now)).toBeNull();
  expect(pickAgent(everyone, [a, b], new Map(), 'least-busy', 30_000, new Date(120_000))).not.toBeNull();
});
