/**
 * An accept cut short by a crash (the seat written active, the conversation still queued)
 * does not strand the conversation: its seat is given back and it is offered again.
 */
import type { OfferView } from '../../shared/protocol';
import { call, connectAgent, createDesk, eventually, suiteGateway } from '../harness/gateway';
import { STRANDED_AFTER_MS } from '../../server/routing/stranded';

jest.setTimeout(60_000);
const gw = suiteGateway({ env: { OFFER_TIMEOUT_MS: '600000' } });

it('offers a conversation again whose accept stopped half-way', async () => {
  const desk = await createDesk(gw);
  const a = await desk.agent({ capacity: 2 });
  const { conversationId } = await gw.app.ingest.ingest({
    inboxId: String(desk.inbox._id),
    from: { channel: 'webchat', address: `stranded-${Date.now()}` },
    dedupeKey: `stranded-${Date.now()}`,
    text: 'Is anyone there?',
  });
  // What a process that died inside an accept leaves behind: an active seat, a queued conversation.
  await gw.models.Assignment.create({
    conversationId,
    agentId: a.id,
    slot: 0,
    state: 'active',
    acceptedAt: new Date(Date.now() - STRANDED_AFTER_MS - 1000),
  });
  const agent = await connectAgent(gw.url, a.token);
  const offered = new Promise<OfferView>((resolve) => agent.on('offer', resolve));
  await call(agent, 'presence:set', { presence: 'online' });
  const offer = await offered;
  expect(offer.conversation.id).toBe(conversationId);
  await call(agent, 'offer:accept', { conversationId });
  const conv = await eventually(
    () => gw.models.Conversation.findById(conversationId).lean(),
    (c) => c?.status === 'assigned',
  );
  expect(String(conv?.assigneeId)).toBe(a.id);
  expect(await gw.models.Assignment.countDocuments({ conversationId })).toBe(1);
  agent.disconnect();
});
