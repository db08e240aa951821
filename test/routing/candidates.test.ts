/** The rules that narrow who may be offered a queued conversation: skills and a VIP's dedicated agent. */
import { Types } from 'mongoose';
import type { AgentDoc } from '../../server/domain/agent';
import { dedicatedChoice } from '../../server/routing/dedicated';
import { skillPool } from '../../server/routing/skills';

const team = new Types.ObjectId();
const agent = (name: string, over: Partial<AgentDoc> = {}): AgentDoc => ({
  _id: new Types.ObjectId(),
  email: `${name}@x.test`,
  name,
  passwordHash: '',
  role: 'agent',
  capacity: 2,
  skills: [],
  teamIds: [team],
  presence: 'online',
  presenceChangedAt: new Date(),
  lastOfferedAt: null,
  active: true,
  createdAt: new Date(),
  ...over,
});
const queuedAt = new Date(10_000);
const at = (ms: number) => new Date(queuedAt.getTime() + ms);

describe('skill pool', () => {
  const need = { skill: 'billing', waitMs: 5000 };
  const skilled = agent('s', { skills: ['BILLING'] });
  const plain = agent('p');
  const outsider = agent('o', { skills: ['billing'], teamIds: [new Types.ObjectId()] });

  it('keeps the skilled agents of the team until the wait is over', () => {
    expect(skillPool({ teamId: team, queuedAt }, [skilled, plain, outsider], need, at(4999))).toEqual({
      agents: [skilled],
      widened: null,
    });
    expect(skillPool({ teamId: team, queuedAt }, [skilled, plain], need, at(5000))).toEqual({
      agents: [skilled, plain],
      widened: 'wait_over',
    });
  });

  it('widens at once when nobody of the team with the skill is online', () => {
    expect(skillPool({ teamId: team, queuedAt }, [plain, outsider], need, at(0)).widened).toBe(
      'none_skilled_online',
    );
  });
});

describe('dedicated agent', () => {
  const d = agent('d', { capacity: 1 });
  const entry = { offerSkips: [] as Types.ObjectId[], queuedAt };

  it('is chosen when online with a free seat, waited for when full, passed over when gone or skipped', () => {
    expect(dedicatedChoice(entry, d._id, [d], new Map(), 1000, at(0))).toBe(d);
    const full = new Map([[String(d._id), 1]]);
    expect(dedicatedChoice(entry, d._id, [d], full, 1000, at(999))).toBe('hold');
    expect(dedicatedChoice(entry, d._id, [d], full, 1000, at(1000))).toBeNull();
    expect(dedicatedChoice(entry, d._id, [], new Map(), 1000, at(0))).toBeNull();
    expect(dedicatedChoice({ ...entry, offerSkips: [d._id] }, d._id, [d], new Map(), 1000, at(0))).toBeNull();
    expect(dedicatedChoice(entry, null, [d], new Map(), 1000, at(0))).toBeNull();
  });
});
