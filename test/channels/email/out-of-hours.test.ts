/**
 * A customer who emails while the inbox's calendar is closed gets one reply saying when the
 * team opens again, marked as automatic (Auto-Submitted) so it starts no mail loop; more
 * mail and a redelivered copy send nothing more, and machine mail gets nothing at all.
 */
import { suiteGateway } from '../../harness/gateway';
import { staysAt } from '../../harness/absence';
import { assignCalendar } from '../../harness/calendars';
import { createEmailInbox, fixture, storedEmail, suiteMailServers, unique } from './mail-servers';

const servers = suiteMailServers();
const gw = suiteGateway();
const mailsTo = (address: string) => servers.smtp.received.filter((r) => r.envelope.to.includes(address));

it('answers mail that arrives after hours once per closed period, and never machine mail', async () => {
  const inbox = await createEmailInbox(gw, servers);
  await assignCalendar(gw, inbox.admin, inbox.inboxId, 'closed');
  const from = `c-${unique()}@customer.example`;
  const first = `${unique()}@mail.gmail.example`;
  await servers.dovecot.deliver(
    fixture('gmail-new.eml', { subject: 'Cracked screen', messageId: first, from }),
  );
  const reply = await servers.smtp.next((r) => r.envelope.to.includes(from));
  expect(reply.mail.text).toMatch(/We're closed right now and open again tomorrow at \d\d:\d\d/);
  expect(reply.header('auto-submitted')).toBe('auto-replied');

  const second = `${unique()}@mail.gmail.example`;
  await servers.dovecot.deliver(fixture('gmail-new.eml', { subject: 'Also', messageId: second, from }));
  // The same mail delivered again, as a forwarding server's retry does.
  await servers.dovecot.deliver(
    fixture('gmail-new.eml', { subject: 'Cracked screen', messageId: first, from }),
  );
  await storedEmail(gw, second);

  const away = `ola-${unique()}@customer.example`;
  const bounce = `${unique()}@mail.example`;
  await servers.dovecot.deliver(
    fixture('auto-reply.eml', { subject: 'Cracked screen', messageId: bounce, from: away, inReplyTo: '' }),
  );
  await storedEmail(gw, bounce);
  await staysAt(async () => mailsTo(from).length + mailsTo(away).length, 1, 2500);
});
