/**
 * Verified widget identity in a real browser: a site signs its user's id with the inbox's
 * identity secret; the same user on another device (another browser) gets the same
 * conversation, a forged signature is refused, and an unsigned visitor cannot take over a
 * verified visitor's session.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OfferView } from '../../shared/protocol';
import { signUserId } from '../../server/identity/verify';
import {
  call,
  connectAgent,
  createDesk,
  nextEvent,
  startGateway,
  type AgentClient,
  type TestGateway,
} from '../harness/gateway';
import { VisitorPage, buildUi, openBrowser } from './browser';

const SECRET = 'shop-identity-secret-0123456789';
let gw: TestGateway;
let site: Server;
let origin = '';
let inboxKey = '';
let agent: AgentClient;

/** The shop's page: it signs the signed-in user (query `user`), or forges a signature (`forge`). */
function shopPage(url: URL): string {
  const user = url.searchParams.get('user');
  const hash = user
    ? url.searchParams.has('forge')
      ? signUserId('not-the-secret-000000', user)
      : signUserId(SECRET, user)
    : '';
  const who = user
    ? ` data-user-id="${user}" data-user-hash="${hash}" data-user-name="Lena Fischer" data-user-email="lena@example.test"`
    : '';
  return `<!doctype html><title>Shop</title><h1>A shop</h1><script src="${gw.url}/widget.js" data-inbox="${inboxKey}"${who} async></script>`;
}

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { OFFER_TIMEOUT_MS: '60000' } });
  const desk = await createDesk(gw, { settings: { identitySecret: SECRET, requireIdentity: true } });
  inboxKey = desk.inbox.key;
  agent = await connectAgent(gw.url, (await desk.agent({ name: 'Ana' })).token);
  await call(agent, 'presence:set', { presence: 'online' });
  site = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(shopPage(new URL(req.url ?? '/', 'http://shop')));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  agent?.disconnect();
  await new Promise((resolve) => site?.close(resolve));
  await gw?.close();
});

async function device(query: string) {
  const b = await openBrowser();
  const v = new VisitorPage(await b.context.newPage(), gw.url, inboxKey);
  await v.page.goto(`${origin}/?${query}`);
  await v.tid('launcher').click();
  await v.tid('panel').waitFor({ state: 'visible' });
  return { b, v };
}

it('follows a signed-in user to another device: same contact, same conversation, marked verified', async () => {
  const laptop = await device('user=u-1001');
  try {
    const offered = nextEvent<OfferView>(agent, 'offer');
    await laptop.v.write('Where is order 1001?');
    const offer = await offered;
    await call(agent, 'offer:accept', { conversationId: offer.conversation.id });
    await call(agent, 'message:send', {
      conversationId: offer.conversation.id,
      clientId: 'r1',
      text: 'It ships today.',
    });
    await laptop.v.message('It ships today.').waitFor();
    const conv = await gw.models.Conversation.findById(offer.conversation.id).lean();
    const contact = await gw.models.Contact.findById(conv?.contactId).lean();
    expect(contact).toMatchObject({
      verified: true,
      externalId: 'u-1001',
      name: 'Lena Fischer',
      email: 'lena@example.test',
    });

    const phone = await device('user=u-1001');
    try {
      await phone.v.message('Where is order 1001?').waitFor();
      await phone.v.message('It ships today.').waitFor();
      await phone.v.write('Thanks!');
      // One conversation, one contact, whichever device wrote.
      await laptop.v.message('Thanks!').waitFor();
      expect(await gw.models.Conversation.countDocuments({ contactId: conv?.contactId })).toBe(1);
    } finally {
      await phone.b.close();
    }
  } finally {
    await laptop.b.close();
  }
}, 90_000);

it('refuses a forged signature, and a visitor without one when the inbox requires it', async () => {
  const forged = await fetch(`${gw.url}/channels/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      inboxKey,
      identity: { userId: 'u-1001', userHash: signUserId('guess-guess-guess-guess', 'u-1001') },
    }),
  });
  expect(forged.status).toBe(401);
  expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('identity_invalid');
  for (const query of ['user=u-1001&forge=1', '']) {
    const d = await device(query);
    try {
      await d.v.tid('status').filter({ hasText: 'couldn’t confirm who you are' }).waitFor();
      await expect(d.v.tid('composer').count()).resolves.toBe(0);
    } finally {
      await d.b.close();
    }
  }
});

it('never lets an unsigned session continue a verified one', async () => {
  const open = await createDesk(gw, { settings: { identitySecret: SECRET } });
  const session = async (body: Record<string, unknown>) => {
    const res = await fetch(`${gw.url}/channels/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inboxKey: open.inbox.key, ...body }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; visitorId: string; verified: boolean };
  };
  const signed = await session({ identity: { userId: 'u-7', userHash: signUserId(SECRET, 'u-7') } });
  expect(signed.verified).toBe(true);
  const again = await session({ identity: { userId: 'u-7', userHash: signUserId(SECRET, 'u-7') } });
  expect(again.visitorId).toBe(signed.visitorId);
  // The verified token without the signature (signed out, or copied) starts an anonymous visitor.
  const unsigned = await session({ token: signed.token });
  expect(unsigned.verified).toBe(false);
  expect(unsigned.visitorId).not.toBe(signed.visitorId);
  // Another signed user does not continue it either.
  const other = await session({
    token: signed.token,
    identity: { userId: 'u-8', userHash: signUserId(SECRET, 'u-8') },
  });
  expect(other.visitorId).not.toBe(signed.visitorId);
});
