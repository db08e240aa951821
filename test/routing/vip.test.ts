/**
 * A VIP's dedicated agent: the VIP's queued conversation is offered to that agent alone
 * (whatever their team) when they are online with a free seat; it waits a short while for
 * them when they are full, and is routed as usual at once when they are offline or let it pass.
 */
import type { MessageView, OfferView } from '../../shared/protocol';
import {
  api,
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  openVisitorSession,
  suiteGateway,
  type AgentClient,
} from '../harness/gateway';

const gw = suiteGateway({ env: { OFFER_TIMEOUT_MS: '20000', ROUTING_VIP_WAIT_MS: '1200' } });
const sockets: { close(): void }[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

async function signIn(token: string, presence: 'online' | 'away'): Promise<AgentClient> {
  const s = await connectAgent(gw.url, token);
  sockets.push(s);
  await call(s, 'presence:set', { presence });
  return s;
}

/** A customer writes while nobody takes offers, then becomes a VIP with a dedicated agent. */
async function vipWrites(inboxKey: string, dedicatedAgentId: string, text: string) {
  const s = await openVisitorSession(gw.url, inboxKey);
  const v = await connectVisitor(gw.url, s.token);
  sockets.push(v);
  const m = await call<MessageView>(v, 'message:send', { clientId: `${text}-id`, text });
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  // A supervisor of the inbox's team marks the VIP.
  const supervisor = (await createAgent(gw, { role: 'supervisor', teamIds: [String(conv!.teamId)] })).token;
  const r = await api(gw.url, supervisor, 'PATCH', `/contacts/${String(conv!.contactId)}`, {
    vip: true,
    dedicatedAgentId,
  });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ contact: { vip: true, dedicatedAgentId } });
  return { conversationId: m.conversationId, queuedAt: conv!.queuedAt!.getTime() };
}

function offersTo(s: AgentClient): string[] {
  const got: string[] = [];
  s.on('offer', (o: OfferView) => got.push(o.conversation.id));
  return got;
}

const offeredTo = async (conversationId: string) =>
  (
    await gw.models.ConversationEvent.find({ conversationId, type: 'conversation.offered' })
      .sort({ at: 1, _id: 1 })
      .lean()
  ).map((e) => e.data.agentId);

describe('VIP dedicated agent', () => {
  it('offers a VIP conversation to their dedicated agent first, even one outside the team', async () => {
    const desk = await createDesk(gw);
    const teamAgent = await desk.agent({ name: 'Team agent' });
    const dedicated = await createAgent(gw, { name: 'Account manager' });
    const sd = await signIn(dedicated.token, 'away');
    const st = await signIn(teamAgent.token, 'away');
    const { conversationId } = await vipWrites(desk.inbox.key, dedicated.id, 'hello, it is me again');
    const toTeam = offersTo(st);
    const offer = new Promise<OfferView>((resolve) => sd.once('offer', resolve));
    await call(sd, 'presence:set', { presence: 'online' });
    expect((await offer).conversation.id).toBe(conversationId);
    // The team agent, online now with a free seat too, is not offered it.
    await call(st, 'presence:set', { presence: 'online' });
    await gw.app.router.dispatchOnce();
    expect(toTeam).toEqual([]);
    expect(await offeredTo(conversationId)).toEqual([dedicated.id]);

    // When the dedicated agent lets it pass, the team is offered it at once.
    const moved = new Promise<OfferView>((resolve) => st.once('offer', resolve));
    await call(sd, 'offer:decline', { conversationId });
    expect((await moved).conversation.id).toBe(conversationId);
    expect(await offeredTo(conversationId)).toEqual([dedicated.id, teamAgent.id]);
    for (const s of [sd, st]) await call(s, 'presence:set', { presence: 'offline' });
  });

  it('waits ROUTING_VIP_WAIT_MS for a full dedicated agent, then routes as usual', async () => {
    const desk = await createDesk(gw);
    const teamAgent = await desk.agent();
    const dedicated = await desk.agent({ capacity: 1 });
    const sd = await signIn(dedicated.token, 'away');
    const st = await signIn(teamAgent.token, 'away');
    // The dedicated agent's only seat is taken.
    const busy = await openVisitorSession(gw.url, desk.inbox.key);
    const bv = await connectVisitor(gw.url, busy.token);
    sockets.push(bv);
    const other = await call<MessageView>(bv, 'message:send', { clientId: 'busy', text: 'first customer' });
    await call(sd, 'conversation:take', { conversationId: other.conversationId });

    const { conversationId, queuedAt } = await vipWrites(desk.inbox.key, dedicated.id, 'VIP here');
    const toDedicated = offersTo(sd);
    const offer = new Promise<OfferView>((resolve) => st.once('offer', resolve));
    await call(sd, 'presence:set', { presence: 'online' });
    await call(st, 'presence:set', { presence: 'online' });
    expect((await offer).conversation.id).toBe(conversationId);
    expect(Date.now()).toBeGreaterThanOrEqual(queuedAt + 1200);
    expect(toDedicated).toEqual([]);
    expect(await offeredTo(conversationId)).toEqual([teamAgent.id]);
    for (const s of [sd, st]) await call(s, 'presence:set', { presence: 'offline' });
  });

  it('routes as usual at once when the dedicated agent is offline', async () => {
    const desk = await createDesk(gw);
    const teamAgent = await desk.agent();
    const dedicated = await desk.agent();
    const st = await signIn(teamAgent.token, 'away');
    const { conversationId, queuedAt } = await vipWrites(desk.inbox.key, dedicated.id, 'VIP again');
    const offer = new Promise<OfferView>((resolve) => st.once('offer', resolve));
    const onlineAt = Date.now();
    await call(st, 'presence:set', { presence: 'online' });
    expect((await offer).conversation.id).toBe(conversationId);
    // Well before the wait for a busy dedicated agent would be over.
    expect(Date.now() - Math.max(onlineAt, queuedAt)).toBeLessThan(1200);
    await call(st, 'presence:set', { presence: 'offline' });
  });

  it('lets supervisors, not agents, choose a dedicated agent, and only an active one', async () => {
    const desk = await createDesk(gw);
    const a = await desk.agent();
    const s = await openVisitorSession(gw.url, desk.inbox.key);
    const v = await connectVisitor(gw.url, s.token);
    sockets.push(v);
    const m = await call<MessageView>(v, 'message:send', { clientId: 'x', text: 'hi' });
    const contactId = String((await gw.models.Conversation.findById(m.conversationId).lean())!.contactId);
    expect(
      (await api(gw.url, a.token, 'PATCH', `/contacts/${contactId}`, { dedicatedAgentId: a.id })).status,
    ).toBe(403);
    const supervisor = await desk.agent({ role: 'supervisor' });
    const bad = await api(gw.url, supervisor.token, 'PATCH', `/contacts/${contactId}`, {
      dedicatedAgentId: '0123456789abcdef01234567',
    });
    expect(bad.status).toBe(400);
    const contact = await gw.models.Contact.findById(contactId).lean();
    expect(contact?.dedicatedAgentId ?? null).toBeNull();
  });
});
