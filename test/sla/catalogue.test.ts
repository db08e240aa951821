/** The clock catalogue: which lifecycle events start, stop and cancel which clock, and a future clock as one more row. */
import {
  CATALOGUE,
  plan,
  type ClockFacts,
  type ClockRow,
  type LifecycleEvent,
} from '../../server/sla/catalogue';
import type { ClockKind, TeamTier } from '../../server/domain/types';

type Conv = ClockFacts['conv'];
const conv = (over: Partial<Conv> = {}): Conv => ({
  status: 'queued',
  teamId: null,
  category: null,
  priority: 1,
  lastCustomerMessageAt: null,
  lastAgentReplyAt: null,
  ...over,
});
const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));

async function after(
  event: LifecycleEvent,
  c: Conv,
  running: ClockKind[] = [],
  tier: TeamTier | null = 'first',
) {
  return plan(CATALOGUE, { event, conv: c, tier: async () => tier }, (k) => running.includes(k));
}

describe('pickup clock', () => {
  it('starts when the conversation enters the queue and stops, measured, when an agent picks it up', async () => {
    expect((await after('queued', conv())).start).toContain('pickup');
    expect((await after('picked_up', conv({ status: 'assigned' }), ['pickup'])).stop).toEqual(['pickup']);
  });
  it('is cancelled, unmeasured, when the conversation is resolved from the queue', async () => {
    expect((await after('resolved', conv(), ['pickup', 'resolution'])).cancel).toEqual(['pickup']);
  });
});

describe('reply clock', () => {
  it('starts at a customer message only once the conversation is picked up', async () => {
    expect((await after('customer_message', conv())).start).not.toContain('reply');
    expect((await after('customer_message', conv({ status: 'assigned' }))).start).toEqual(['reply']);
  });
  it('starts at pickup when a customer message waits unanswered', async () => {
    const waiting = conv({ status: 'assigned', lastCustomerMessageAt: at(2), lastAgentReplyAt: at(1) });
    expect((await after('picked_up', waiting, ['pickup'])).start).toEqual(['reply']);
    const answered = conv({ status: 'assigned', lastCustomerMessageAt: at(1), lastAgentReplyAt: at(2) });
    expect((await after('picked_up', answered, ['pickup'])).start).toEqual([]);
  });
  it('stops at the next public agent reply and is cancelled when the conversation returns to the queue', async () => {
    expect((await after('agent_reply', conv({ status: 'assigned' }), ['reply'])).stop).toEqual(['reply']);
    expect((await after('queued', conv(), ['reply'])).cancel).toEqual(['reply']);
  });
  it('is not restarted while it runs', async () => {
    expect((await after('customer_message', conv({ status: 'assigned' }), ['reply'])).start).toEqual([]);
  });
});

describe('resolution clock', () => {
  it('runs from opened or reopened to resolved', async () => {
    expect((await after('opened', conv())).start).toContain('resolution');
    expect((await after('reopened', conv())).start).toContain('resolution');
    expect((await after('resolved', conv(), ['resolution'])).stop).toContain('resolution');
  });
});

describe('escalation clock', () => {
  it('starts when opened in a first-line team, not in a second-line team or without a team', async () => {
    expect((await after('opened', conv(), [], 'first')).start).toContain('escalation');
    expect((await after('opened', conv(), [], 'second')).start).not.toContain('escalation');
    expect((await after('opened', conv(), [], null)).start).not.toContain('escalation');
  });
  it('stops when resolved or moved to a second-line team, and keeps running across first-line teams', async () => {
    expect((await after('resolved', conv(), ['escalation'])).stop).toContain('escalation');
    expect((await after('team_changed', conv(), ['escalation'], 'second')).stop).toEqual(['escalation']);
    expect(await after('team_changed', conv(), ['escalation'], 'first')).toEqual({
      stop: [],
      cancel: [],
      start: [],
    });
  });
  it('asks for the team tier only when a row needs it', async () => {
    const tier = jest.fn(async () => 'first' as const);
    await plan(CATALOGUE, { event: 'agent_reply', conv: conv(), tier }, () => true);
    expect(tier).not.toHaveBeenCalled();
  });
});

describe('a new clock', () => {
  it('is one more row and the event that stops it', async () => {
    type Event = LifecycleEvent | 'solution_recorded';
    const complaint: ClockRow<'complaint_acknowledgement' | 'complaint_solution', Event>[] = [
      {
        kind: 'complaint_acknowledgement',
        starts: [{ on: 'team_changed', when: (f) => f.conv.category === 'complaint' }],
        stops: [{ on: 'agent_reply' }],
        cancels: [{ on: 'resolved' }],
        breach: 'alert',
      },
      {
        kind: 'complaint_solution',
        starts: [{ on: 'team_changed', when: (f) => f.conv.category === 'complaint' }],
        stops: [{ on: 'solution_recorded' }],
        cancels: [],
        breach: 'alert',
      },
    ];
    const tier = async () => 'first' as const;
    const complaintConv = conv({ category: 'complaint' });
    expect(
      (await plan(complaint, { event: 'team_changed', conv: complaintConv, tier }, () => false)).start,
    ).toEqual(['complaint_acknowledgement', 'complaint_solution']);
    expect(
      (await plan(complaint, { event: 'solution_recorded', conv: complaintConv, tier }, () => true)).stop,
    ).toEqual(['complaint_solution']);
  });
});
