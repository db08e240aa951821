/** Email as the conformance suite drives it: mail handed to the private Dovecot by LMTP, replies caught by the SMTP sink. */
import { suiteGateway } from '../../harness/gateway';
import { createEmailInbox, suiteMailServers, unique } from '../email/mail-servers';
import type { ChannelDriver, Delivered } from './driver';

export function emailDriver(): ChannelDriver {
  const servers = suiteMailServers();
  const gw = suiteGateway();
  /** Each delivered mail as it went over the wire, to hand over again byte for byte. */
  const raws = new Map<string, string>();
  const lmtp = (d: Delivered) => servers.dovecot.deliver(raws.get(d.providerId) ?? '', { from: d.from });
  return {
    kind: 'email',
    refusal: {
      refuse: () => servers.smtp.failNext(554, '5.7.1 Message rejected by policy'),
      accept: () => servers.smtp.failNext(554, '', 0),
    },
    async start() {
      const { inboxId } = await createEmailInbox(gw, servers);
      return { gw, inboxId };
    },
    customer: async () => `c-${unique()}@customer.example`,
    async deliver(from, text) {
      const d = { from, text, providerId: `<${unique()}.${unique()}@mail.customer.example>` };
      raws.set(
        d.providerId,
        [
          `From: Customer <${from}>`,
          `To: ${servers.dovecot.user}`,
          `Subject: ${text}`,
          `Message-ID: ${d.providerId}`,
          `Date: ${new Date().toUTCString()}`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          text,
          '',
        ].join('\r\n'),
      );
      await lmtp(d);
      return d;
    },
    deliverAgain: lmtp,
    sent: () =>
      servers.smtp.received.map((r) => ({
        to: r.envelope.to[0] ?? '',
        text: (r.mail.text ?? '').trim(),
        providerId: r.mail.messageId ?? null,
      })),
    async confirm() {},
    async stop() {},
  };
}
