/** Files customers send are stored once in the database and served only at their unguessable link. */
import type { AttachmentView, MessageView } from '../../shared/protocol';
import {
  call,
  callRaw,
  connectVisitor,
  createDesk,
  openVisitorSession,
  suiteGateway,
} from '../harness/gateway';

const gw = suiteGateway({ env: { ATTACHMENT_MAX_BYTES: '2048' } });

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function upload(token: string, body: Buffer, type: string, name = 'shot.png') {
  return fetch(`${gw.url}/channels/webchat/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: new Uint8Array(body),
  });
}

it('stores a widget upload, serves it at its link, and attaches it to a message', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  const limits = await (await fetch(`${gw.url}/channels/webchat/uploads/limits`)).json();
  expect(limits).toMatchObject({
    maxBytes: 2048,
    types: expect.arrayContaining(['image/png', 'application/pdf']),
  });

  const res = await upload(s.token, PNG, 'image/png');
  expect(res.status).toBe(201);
  const { attachment } = (await res.json()) as { attachment: AttachmentView };
  expect(attachment).toMatchObject({ name: 'shot.png', contentType: 'image/png', size: PNG.length });
  const file = await fetch(`${gw.url}${attachment.url}`);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
  const guessed = attachment.url!.replace(
    /\/attachments\/([0-9a-f]+)\/[^/]+\//,
    '/attachments/$1/AAAAAAAAAAAAAAAAAAAAAA/',
  );
  expect((await fetch(`${gw.url}${guessed}`)).status).toBe(404);

  const v = await connectVisitor(gw.url, s.token);
  const m = await call<MessageView>(v, 'message:send', {
    clientId: 'pic',
    text: '',
    attachments: [attachment],
  });
  expect(m.attachments).toEqual([expect.objectContaining({ name: 'shot.png', url: attachment.url })]);
  v.close();
});

it('refuses files without a session, of unsafe types, too large, and attachments not uploaded here', async () => {
  const { inbox } = await createDesk(gw);
  const s = await openVisitorSession(gw.url, inbox.key);
  expect((await upload('bad', PNG, 'image/png')).status).toBe(401);
  const html = await upload(s.token, Buffer.from('<script>alert(1)</script>'), 'text/html', 'x.html');
  expect(html.status).toBe(415);
  const big = await upload(s.token, Buffer.alloc(4096, 1), 'image/png');
  expect(big.status).toBe(413);
  expect((await big.json()).error.message).toMatch(/limited/);
  const v = await connectVisitor(gw.url, s.token);
  const forged = await callRaw(v, 'message:send', {
    clientId: 'forged',
    text: 'see this',
    attachments: [{ name: 'x', contentType: 'image/png', size: 1, url: 'https://evil.example/x.png' }],
  });
  expect(forged).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(await gw.models.Message.countDocuments({ inboxId: inbox._id })).toBe(0);
  v.close();
});
