/**
 * Writing the knowledge base: supervisors and admins create articles with an English and
 * a Chinese translation, edit drafts and publish them; agents read and search; bad input
 * is refused with a reason; every change is audited.
 */
import { api, createAgent, suiteGateway } from '../harness/gateway';
import { kb, publishedArticle } from './helpers';

const gw = suiteGateway();

const refund = {
  en: {
    title: 'How to ask for a refund',
    body: 'Open **My orders**, choose the order and press *Request refund*.\n\nRefunds reach your card within 5 working days.',
  },
  zh: {
    title: '如何申请退款',
    body: '打开“我的订单”，选择订单后点击“申请退款”。\n\n退款将在 5 个工作日内退回您的银行卡。',
  },
};

describe('knowledge-base articles', () => {
  it('lets a supervisor write a draft, publish it, and edit it again as a draft beside the published version', async () => {
    const sup = await createAgent(gw, { role: 'supervisor' });
    const k = kb(gw, sup.token);
    const created = await k.create({ translations: { en: refund.en } });
    expect(created.status).toBe(201);
    const a = created.body.article;
    expect(a.slug).toBe('how-to-ask-for-a-refund');
    expect(a.translations.en).toMatchObject({ state: 'draft', published: null, url: null });

    const published = await k.publish(a.id, 'en');
    expect(published.status).toBe(200);
    expect(published.body.article.translations.en).toMatchObject({
      state: 'published',
      draft: null,
      published: { title: refund.en.title },
      url: '/help/en/articles/how-to-ask-for-a-refund',
    });

    const edited = await k.update(a.id, {
      translations: { en: { title: 'Refunds', body: 'New text.' }, 'zh-CN': refund.zh },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.article.translations.en).toMatchObject({
      state: 'changed',
      draft: { title: 'Refunds' },
      published: { title: refund.en.title },
    });
    expect(edited.body.article.translations['zh-CN']).toMatchObject({ state: 'draft' });
    // Publishing again replaces the published version.
    const again = await k.publish(a.id, 'en');
    expect(again.body.article.translations.en).toMatchObject({
      state: 'published',
      published: { title: 'Refunds', body: 'New text.' },
    });

    const audit = await gw.models.StaffAuditEntry.find({ 'target.id': a.id }).lean();
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['article.created', 'article.published', 'article.updated']),
    );
  });

  it('lets agents read and search but not write', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    const agent = await createAgent(gw);
    const a = await publishedArticle(gw, admin.token, { slug: 'agent-reads', ...refund });
    const k = kb(gw, agent.token);
    expect((await k.get(a.id)).status).toBe(200);
    expect((await k.list()).body.articles.map((x) => x.id)).toContain(a.id);
    expect((await k.create({ translations: { en: refund.en } })).status).toBe(403);
    expect((await k.update(a.id, { slug: 'mine' })).status).toBe(403);
    expect((await k.publish(a.id, 'en')).status).toBe(403);
    expect((await k.remove(a.id)).status).toBe(403);
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    const k = kb(gw, admin.token);
    const before = await gw.models.Article.countDocuments();
    const cases: [unknown, RegExp][] = [
      [{ translations: {} }, /English or the Chinese/],
      [{ translations: { en: { title: '', body: 'x' } } }, /translations.en.title: must not be empty/],
      [{ translations: { fr: { title: 'x', body: 'x' } } }, /Unrecognized key/],
      [{ slug: 'Not a slug!', translations: { en: refund.en } }, /slug: lower-case letters/],
      [{ categoryId: 'nope', translations: { en: refund.en } }, /categoryId: must be an id/],
      [{ categoryId: '0123456789abcdef01234567', translations: { en: refund.en } }, /no such category/],
    ];
    for (const [body, reason] of cases) {
      const r = await k.create(body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(reason);
    }
    expect(await gw.models.Article.countDocuments()).toBe(before);

    const a = (await k.create({ slug: 'taken', translations: { en: refund.en } })).body.article;
    expect((await k.create({ slug: 'taken', translations: { en: refund.en } })).status).toBe(409);
    expect((await k.publish(a.id, 'zh-CN')).body.error.code).toBe('no_draft');
    const bad = await api<{ error: { message: string } }>(
      gw.url,
      admin.token,
      'POST',
      `/knowledge/articles/${a.id}/publish`,
      { locale: 'fr' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/locale: must be "en" or "zh-CN"/);
    expect((await k.update(a.id, {})).status).toBe(400);
  });

  it('keeps categories with names in both languages; deleting one keeps its articles', async () => {
    const admin = await createAgent(gw, { role: 'admin' });
    const c = await api<{ category: { id: string }; error: { message: string } }>(
      gw.url,
      admin.token,
      'POST',
      '/knowledge/categories',
      {
        slug: 'orders',
        names: { en: 'Orders and refunds', zh: '订单与退款' },
      },
    );
    expect(c.status).toBe(201);
    const missing = await api<{ error: { message: string } }>(
      gw.url,
      admin.token,
      'POST',
      '/knowledge/categories',
      {
        slug: 'x',
        names: { en: 'X' },
      },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/names.zh/);
    const a = await publishedArticle(gw, admin.token, {
      slug: 'in-category',
      categoryId: c.body.category.id,
      ...refund,
    });
    expect(a.categoryId).toBe(c.body.category.id);
    expect(
      (await api(gw.url, admin.token, 'DELETE', `/knowledge/categories/${c.body.category.id}`)).status,
    ).toBe(204);
    expect((await kb(gw, admin.token).get(a.id)).body.article.categoryId).toBeNull();
  });
});
