/** The forbidden-phrase list (禁用语): admins manage it in English and Chinese; every agent reads it. */
import { api, createAgent, suiteGateway } from '../harness/gateway';

const gw = suiteGateway();

interface Phrase {
  id: string;
  phrase: string;
  hint: string | null;
}
type Res = { phrase: Phrase; error: { code: string; message: string } };

describe('forbidden phrases', () => {
  it('lets admins add, change and remove phrases, and agents read the list', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    const agent = await createAgent(gw);
    const en = await api<Res>(gw.url, admin.token, 'POST', '/forbidden-phrases', {
      phrase: 'calm down',
      hint: 'Say "I understand".',
    });
    expect(en.status).toBe(201);
    const zh = await api<Res>(gw.url, admin.token, 'POST', '/forbidden-phrases', { phrase: '不知道' });
    expect(zh.status).toBe(201);
    expect(zh.body.phrase).toMatchObject({ phrase: '不知道', hint: null });

    const listed = await api<{ phrases: Phrase[] }>(gw.url, agent.token, 'GET', '/forbidden-phrases');
    expect(listed.status).toBe(200);
    expect(listed.body.phrases.map((p) => p.phrase).sort()).toEqual(['calm down', '不知道']);

    const changed = await api<Res>(gw.url, admin.token, 'PATCH', `/forbidden-phrases/${zh.body.phrase.id}`, {
      hint: '请说“我帮您查一下”。',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.phrase.hint).toBe('请说“我帮您查一下”。');

    expect(
      (await api(gw.url, agent.token, 'POST', '/forbidden-phrases', { phrase: 'whatever' })).status,
    ).toBe(403);
    expect((await api(gw.url, agent.token, 'DELETE', `/forbidden-phrases/${en.body.phrase.id}`)).status).toBe(
      403,
    );
    expect((await api(gw.url, admin.token, 'DELETE', `/forbidden-phrases/${en.body.phrase.id}`)).status).toBe(
      204,
    );
    expect((await api(gw.url, admin.token, 'DELETE', `/forbidden-phrases/${en.body.phrase.id}`)).status).toBe(
      404,
    );
    const after = await api<{ phrases: Phrase[] }>(gw.url, agent.token, 'GET', '/forbidden-phrases');
    expect(after.body.phrases.map((p) => p.phrase)).toEqual(['不知道']);
  });

  it('refuses bad input and a phrase listed already, in any spelling, with a reason', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    expect(
      (await api(gw.url, admin.token, 'POST', '/forbidden-phrases', { phrase: 'Not My Problem' })).status,
    ).toBe(201);
    const before = await gw.models.ForbiddenPhrase.countDocuments();
    const dup = await api<Res>(gw.url, admin.token, 'POST', '/forbidden-phrases', {
      phrase: '  not   my ＰＲＯＢＬＥＭ ',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate_phrase');
    for (const [body, reason] of [
      [{}, /phrase/],
      [{ phrase: '   ' }, /phrase: must not be empty/],
      [{ phrase: '!!!' }, /letter or digit/],
      [{ phrase: 'x'.repeat(101) }, /at most 100/],
      [{ phrase: 'ok', colour: 'red' }, /Unrecognized key/],
      [{ phrase: 42 }, /phrase/],
    ] as [unknown, RegExp][]) {
      const res = await api<Res>(gw.url, admin.token, 'POST', '/forbidden-phrases', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(reason);
    }
    expect(await gw.models.ForbiddenPhrase.countDocuments()).toBe(before);
    expect(
      (await api(gw.url, admin.token, 'PATCH', '/forbidden-phrases/0123456789abcdef01234567', { hint: 'x' }))
        .status,
    ).toBe(404);
    expect((await api(gw.url, admin.token, 'PATCH', '/forbidden-phrases/bad', { hint: 'x' })).status).toBe(
      400,
    );
  });
});
