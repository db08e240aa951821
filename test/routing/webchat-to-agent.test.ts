/** A visitor's message reaches an agent through the queue and an offer, and the agent's reply reaches the visitor. */
import type { ConversationView, MessageView, OfferView } from '../../shared/protocol';
import {
  call,
  connectAgent,
  connectVisitor,
  createAgent,
  createInbox,
  nextEvent,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway();

describe('web chat → queue → offer → accept → reply', () => {
  it('delivers the conversation to an online agent and the reply back to the visitor', async () => {
    const inbox = await createInbox(gw);
    const agent = await createAgent(gw, { name: 'Ana' });
    const agentSocket = await connectAgent(gw.url, agent.token);
    await call(agentSocket, 'presence:set', { presence: 'online' });

    const session = await openVisitorSession(gw.url, inbox.key, { name: 'Vera' });
    const visitor = await connectVisitor(gw.url, session.token);

    const offered = nextEvent<OfferView>(agentSocket, 'offer');
    const sent = await call<MessageView>(visitor, 'message:send', {
      clientId: 'c-1',
      text: 'Hello, my order is late',
    });
    expect(sent).toMatchObject({ clientId: 'c-1', text: 'Hello, my order is late', direction: 'in' });

    const offer = await offered;
    expect(offer.conversation.status).toBe('queued');
    expect(offer.conversation.pickupClock).not.toBeNull();
    expect(offer.conversation.contactName).toBe('Vera');

    const accepted = await call<ConversationView>(agentSocket, 'offer:accept', {
      conversationId: offer.conversation.id,
    });
    expect(accepted.status).toBe('assigned');
    expect(accepted.assigneeId).toBe(agent.id);
    expect(accepted.pickupClock).toBeNull();
    expect(accepted.replyClock).not.toBeNull();

    const reply = nextEvent<MessageView>(visitor, 'message', (m) => m.direction === 'out');
    const mine = await call<MessageView>(agentSocket, 'message:send', {
      conversationId: offer.conversation.id,
      clientId: 'a-1',
      text: 'Sorry about that — checking now.',
    });
    expect(mine.direction).toBe('out');
    const got = await reply;
    expect(got.text).toBe('Sorry about that — checking now.');
    expect(got.sender).toMatchObject({ type: 'agent', name: 'Ana' });

    const conv = await gw.models.Conversation.findById(offer.conversation.id).lean();
    expect(conv?.clocks?.reply).toBeNull();
    const measured = await gw.models.SlaMeasurement.find({ conversationId: offer.conversation.id }).lean();
    expect(measured.map((m) => [m.clock, m.met]).sort()).toEqual([
      ['pickup', true],
      ['reply', true],
    ]);
    const types = (
      await gw.models.ConversationEvent.find({ conversationId: offer.conversation.id })
        .sort({ at: 1, _id: 1 })
        .lean()
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'conversation.opened',
        'conversation.queued',
        'sla.pickup_started',
        'conversation.offered',
        'conversation.accepted',
        'sla.pickup_stopped',
        'sla.reply_started',
        'sla.reply_stopped',
      ]),
    );
    visitor.close();
    agentSocket.close();
  });

  it('gives the visitor the history again after a reload with the same session token', async () => {
    const inbox = await createInbox(gw);
    const session = await openVisitorSession(gw.url, inbox.key);
    const v1 = await connectVisitor(gw.url, session.token);
    await call(v1, 'message:send', { clientId: 'h-1', text: 'first' });
    await call(v1, 'message:send', { clientId: 'h-2', text: 'second' });
    v1.close();

    const resumed = await openVisitorSession(gw.url, inbox.key, { token: session.token });
    expect(resumed.visitorId).toBe(session.visitorId);
    expect(resumed.conversationId).not.toBeNull();
    const v2 = await connectVisitor(gw.url, resumed.token);
    const history = await call<MessageView[]>(v2, 'history:get', {});
    expect(history.map((m) => m.text)).toEqual(['first', 'second']);
    const after = await call<MessageView[]>(v2, 'history:get', { after: history[0]!.id });
    expect(after.map((m) => m.text)).toEqual(['second']);
    v2.close();
  });
});
