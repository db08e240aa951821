/** Web chat as the conformance suite drives it: visitors' widgets on the `/webchat` socket. */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '../../../shared/protocol';
import {
  call,
  connectVisitor,
  createDesk,
  openVisitorSession,
  suiteGateway,
  type VisitorClient,
} from '../../harness/gateway';
import type { ChannelDriver, Reached } from './driver';

export function webchatDriver(): ChannelDriver {
  const gw = suiteGateway();
  const visitors = new Map<string, VisitorClient>();
  const reached: Reached[] = [];
  let inboxKey = '';
  const visitor = (id: string) => {
    const v = visitors.get(id);
    if (!v) throw new Error(`no visitor ${id}`);
    return v;
  };
  const send = (from: string, text: string, clientId: string) =>
    call<MessageView>(visitor(from), 'message:send', { clientId, text });
  return {
    kind: 'webchat',
    refusal: null,
    async start() {
      const { inbox } = await createDesk(gw);
      inboxKey = inbox.key;
      return { gw, inboxId: String(inbox._id) };
    },
    async customer() {
      const session = await openVisitorSession(gw.url, inboxKey);
      const v = await connectVisitor(gw.url, session.token);
      v.on('message', (m) => {
        if (m.direction === 'out') reached.push({ to: session.visitorId, text: m.text, providerId: null });
      });
      visitors.set(session.visitorId, v);
      return session.visitorId;
    },
    async deliver(from, text) {
      const providerId = randomUUID();
      await send(from, text, providerId);
      return { from, text, providerId };
    },
    async deliverAgain(d) {
      await send(d.from, d.text, d.providerId);
    },
    sent: () => reached,
    async confirm() {},
    async stop() {
      for (const v of visitors.values()) v.close();
    },
  };
}
