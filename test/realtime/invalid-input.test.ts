/** Bad input over the sockets gets a clear error ack or a refused connection, never a crash or a partial write. */
import { io, type Socket } from 'socket.io-client';
import {
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createDesk,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway();

function refused(ns: string, auth: Record<string, unknown>) {
  return new Promise<string>((resolve, reject) => {
    const s = io(`${gw.url}${ns}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => {
      s.close();
      reject(new Error('connected'));
    });
    s.once('connect_error', (err) => {
      s.close();
      resolve(err.message);
    });
  });
}

it('refuses sockets without a valid token', async () => {
  expect(await refused('/agent', {})).toMatch(/token/i);
  expect(await refused('/agent', { token: 'forged.jwt.value' })).toMatch(/invalid|expired/i);
  expect(await refused('/webchat', { token: 'nope' })).toMatch(/session/i);
  // A visitor session token is not an agent token.
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  expect(await refused('/agent', { token: s.token })).toMatch(/invalid|expired/i);
});

it('answers malformed visitor events with invalid_input and stores nothing', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const v = await connectVisitor(gw.url, s.token);
  for (const bad of [
    {},
    { clientId: 'x' },
    { clientId: 'x', text: 42 },
    { clientId: '', text: 'hi' },
    'a string',
    null,
    { clientId: 'y'.repeat(500), text: 'hi' },
    { clientId: 'blank', text: '   ' },
    {
      clientId: 'forged',
      text: 'see file',
      attachments: [{ name: 'a.png', contentType: 'image/png', size: 1, url: 'https://evil.example/a.png' }],
    },
  ]) {
    const ack = await callRaw(v, 'message:send', bad);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  }
  const tooLong = await callRaw(v, 'message:send', { clientId: 'long', text: 'x'.repeat(20_000) });
  expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(0);
  expect(await gw.models.Conversation.countDocuments({ inboxId: inbox._id })).toBe(0);
  // The socket is still usable afterwards.
  await call(v, 'message:send', { clientId: 'fine', text: 'ok now' });
  v.close();
});

it('answers malformed or impossible agent events with a coded error', async () => {
  const desk = await createDesk(gw);
  const agent = await desk.agent();
  const a = await connectAgent(gw.url, agent.token);
  expect(await callRaw(a, 'presence:set', { presence: 'sleeping' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_input' },
  });
  expect(await callRaw(a, 'offer:accept', { conversationId: 'not-an-id' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_input' },
  });
  expect(await callRaw(a, 'offer:accept', { conversationId: '0123456789abcdef01234567' })).toMatchObject({
    ok: false,
    error: { code: 'not_found' },
  });
  expect(
    await callRaw(a, 'conversation:transfer', { conversationId: '0123456789abcdef01234567' }),
  ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(await callRaw(a, 'supervisor:snapshot', {})).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(
    await callRaw(a, 'message:send', {
      conversationId: '0123456789abcdef01234567',
      clientId: 'c',
      text: '   ',
    }),
  ).toMatchObject({
    ok: false,
    error: { code: 'invalid_input' },
  });
  // Events without an ack callback and unknown events are ignored without harm.
  const untyped = a as unknown as Socket;
  untyped.emit('typing', { nonsense: true });
  untyped.emit('no-such-event', 1);
  expect(await call(a, 'queue:get', {})).toEqual(expect.any(Array));
  a.close();
});
