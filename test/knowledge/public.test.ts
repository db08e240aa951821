/**
 * The help centre without a login: search finds English articles by their words and
 * Chinese ones by words inside unspaced text; only published versions are ever shown or
 * found; pages are indexable and escape what editors wrote; helpfulness votes are counted
 * once per visitor and limited per address; searches that found nothing are recorded.
 */
import { api, createAgent, suiteGateway } from '../harness/gateway';
import { kb, publicSearch, publishedArticle } from './helpers';

// Votes are told apart by address: the test's requests come through a trusted proxy on loopback.
const gw = suiteGateway({ env: { TRUST_PROXY: 'loopback' } });
let admin: { token: string };

beforeAll(async () => {
  admin = await createAgent(gw, { role: 'admin' });
  await publishedArticle(gw, admin.token, {
    slug: 'refunds',
    en: {
      title: 'How to ask for a refund',
      body: 'Open My orders and choose Request refund. The money reaches your card within 5 working days.',
    },
    zh: {
      title: '如何申请退款',
      body: '打开“我的订单”，选择订单后点击“申请退款”。款项将在五个工作日内退回原支付账户。',
    },
  });
  await publishedArticle(gw, admin.token, {
    slug: 'delivery-times',
    en: {
      title: 'When will my parcel arrive?',
      body: 'Parcels usually arrive in 2 to 4 days. You can track yours from the shipping email.',
    },
    zh: {
      title: '包裹多久能送到？',
      body: '包裹通常在两到四天内送达，您可以通过发货通知邮件中的链接查询物流。',
    },
  });
});

const page = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${gw.url}${path}`, { redirect: 'manual', ...init });
  return { status: res.status, html: await res.text(), headers: res.headers };
};
const vote = (path: string, helpful: string, ip: string) =>
  page(`${path}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: `helpful=${helpful}`,
  });

describe('help centre search', () => {
  it('finds English articles by words inside them, and Chinese ones by words inside unspaced text', async () => {
    const en = await publicSearch(gw.url, 'card working days', 'en');
    expect(en.status).toBe(200);
    expect(en.headers.get('access-control-allow-origin')).toBe('*');
    // The article holding every word comes first; one holding some of them after it.
    expect(en.body.articles.map((a) => a.slug)).toEqual(['refunds', 'delivery-times']);
    expect(en.body.articles[0]).toMatchObject({
      title: 'How to ask for a refund',
      url: '/help/en/articles/refunds',
    });

    // 退款 stands inside 如何申请退款 with no spaces around it; 物流 inside 查询物流。
    expect((await publicSearch(gw.url, '退款', 'zh-CN')).body.articles.map((a) => a.slug)).toEqual([
      'refunds',
    ]);
    expect((await publicSearch(gw.url, '查询物流', 'zh-CN')).body.articles.map((a) => a.slug)).toEqual([
      'delivery-times',
    ]);
    // A question as a customer writes it: matched on its telling words, not on "how" or "can I".
    expect(
      (await publicSearch(gw.url, 'Can I get a refund?', 'en')).body.articles.map((a) => a.slug),
    ).toEqual(['refunds']);
    expect(
      (await publicSearch(gw.url, '我上周买的东西想退款', 'zh-CN')).body.articles.map((a) => a.slug),
    ).toEqual(['refunds']);
    expect((await publicSearch(gw.url, 'how can I', 'en')).body.articles).toEqual([]);
    // The help centre's search box needs every word.
    const box = await page(`/help/zh-CN/search?q=${encodeURIComponent('物流 发票')}`);
    expect(box.html).toContain('没有找到与“物流 发票”相关的文章');
    const parcel = await publicSearch(gw.url, '包裹 送达', 'zh-CN');
    expect(parcel.body.articles[0]).toMatchObject({
      slug: 'delivery-times',
      url: '/help/zh-CN/articles/delivery-times',
    });
    expect(parcel.body.articles[0]!.snippet).toContain('送达');
    // Each language searches its own translation.
    expect((await publicSearch(gw.url, 'refund', 'zh-CN')).body.articles).toEqual([]);
  });

  it('answers bad input with a reason', async () => {
    expect((await publicSearch(gw.url, '', 'en')).status).toBe(400);
    const bad = await publicSearch(gw.url, 'refund', 'fr');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/locale/);
    expect((await publicSearch(gw.url, 'x'.repeat(201), 'en')).status).toBe(400);
  });

  it('records the searches that found nothing, by their normalised text, for the report', async () => {
    await publicSearch(gw.url, 'Gift  Wrapping', 'en', '&final=1');
    await publicSearch(gw.url, 'gift wrapping', 'en', '&final=1');
    await publicSearch(gw.url, 'gift wrap', 'en'); // typed, not sent: a suggestion only
    await page(`/help/zh-CN/search?q=${encodeURIComponent('发票怎么开')}`);
    await publicSearch(gw.url, 'refund', 'en', '&final=1'); // found something
    const sup = await createAgent(gw, { role: 'supervisor' });
    const report = await api<{ searchesWithoutResults: { query: string; locale: string; count: number }[] }>(
      gw.url,
      sup.token,
      'GET',
      '/knowledge/report',
    );
    expect(report.status).toBe(200);
    expect(report.body.searchesWithoutResults).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ query: 'gift wrapping', locale: 'en', count: 2 }),
        expect.objectContaining({ query: '发票怎么开', locale: 'zh-CN', count: 1 }),
      ]),
    );
    expect(report.body.searchesWithoutResults[0]).toMatchObject({ query: 'gift wrapping' });
    expect(report.body.searchesWithoutResults.map((m) => m.query)).not.toContain('gift wrap');
    const agent = await createAgent(gw);
    expect((await api(gw.url, agent.token, 'GET', '/knowledge/report')).status).toBe(403);
  });
});

describe('help centre pages', () => {
  it('serves indexable pages in each language, linked to their translation', async () => {
    const root = await page('/help/', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/help/zh-CN/');

    const en = await page('/help/en/articles/refunds');
    expect(en.status).toBe(200);
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<title>How to ask for a refund – Help Center</title>');
    expect(en.html).toMatch(/<meta name="description" content="Open My orders and choose Request refund\./);
    expect(en.html).toContain(`<link rel="canonical" href="${gw.url}/help/en/articles/refunds">`);
    expect(en.html).toContain(
      `<link rel="alternate" hreflang="zh-CN" href="${gw.url}/help/zh-CN/articles/refunds">`,
    );
    expect(en.headers.get('cache-control')).toBe('public, max-age=60');

    const zh = await page('/help/zh-CN/articles/refunds');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('<title>如何申请退款 – 帮助中心</title>');
    expect(zh.html).toContain('这篇文章对您有帮助吗？');

    const index = await page('/help/zh-CN/');
    expect(index.html).toContain('包裹多久能送到？');
    expect(index.html).toContain('href="/help/zh-CN/articles/delivery-times"');
    const results = await page(`/help/en/search?q=parcel`);
    expect(results.html).toContain('When will my parcel arrive?');
    expect(results.html).toContain('<meta name="robots" content="noindex">');
  });

  it('never shows or finds a draft, and shows the published version while a newer draft waits', async () => {
    const k = kb(gw, admin.token);
    const draft = (
      await k.create({
        slug: 'secret-sale',
        translations: { en: { title: 'Secret sale', body: 'Everything half price tomorrow.' } },
      })
    ).body.article;
    expect((await page('/help/en/articles/secret-sale')).status).toBe(404);
    expect((await publicSearch(gw.url, 'half price', 'en')).body.articles).toEqual([]);
    expect((await page('/help/en/')).html).not.toContain('Secret sale');

    await k.publish(draft.id, 'en');
    expect((await publicSearch(gw.url, 'half price', 'en')).body.articles.map((a) => a.slug)).toEqual([
      'secret-sale',
    ]);
    await k.update(draft.id, {
      translations: { en: { title: 'Secret sale', body: 'Cancelled: prices stay as they are.' } },
    });
    const shown = await page('/help/en/articles/secret-sale');
    expect(shown.html).toContain('Everything half price tomorrow.');
    expect(shown.html).not.toContain('Cancelled');
    expect((await publicSearch(gw.url, 'cancelled', 'en')).body.articles).toEqual([]);

    await k.unpublish(draft.id, 'en');
    expect((await page('/help/en/articles/secret-sale')).status).toBe(404);
    expect((await publicSearch(gw.url, 'half price', 'en')).body.articles).toEqual([]);
    // Never published in Chinese.
    expect((await page('/help/zh-CN/articles/secret-sale')).status).toBe(404);
  });

  it('escapes everything an editor wrote; only the light markup becomes HTML', async () => {
    await publishedArticle(gw, admin.token, {
      slug: 'markup',
      en: {
        title: 'Tags <script>alert(1)</script>',
        body: '## Steps\n- **Open** the <b>app</b>\n- See [our terms](https://example.test/terms) or [this](javascript:alert(1))\n\n<img src=x onerror=alert(1)>',
      },
      zh: { title: '标记', body: '1. 第一步\n2. 第二步' },
    });
    const en = await page('/help/en/articles/markup');
    expect(en.html).not.toContain('<script>alert');
    expect(en.html).toContain('Tags &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(en.html).toContain('<h2>Steps</h2>');
    expect(en.html).toContain('<li><strong>Open</strong> the &lt;b&gt;app&lt;/b&gt;</li>');
    expect(en.html).toContain('<a href="https://example.test/terms" rel="nofollow noopener">our terms</a>');
    expect(en.html).not.toContain('href="javascript:');
    expect(en.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(en.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await page('/help/zh-CN/articles/markup')).html).toContain(
      '<ol><li>第一步</li><li>第二步</li></ol>',
    );
  });
});

describe('was this helpful?', () => {
  it('counts one vote per visitor and article, and limits the votes of one address', async () => {
    const a = await publishedArticle(gw, admin.token, {
      slug: 'votes',
      en: { title: 'Changing your password', body: 'Go to Settings, then Security.' },
      zh: { title: '修改密码', body: '进入“设置”，再点击“安全”。' },
    });
    const yes = await vote('/help/en/articles/votes', 'yes', '203.0.113.1');
    expect(yes.status).toBe(200);
    expect(yes.html).toContain('Thanks for your feedback!');
    expect((await vote('/help/en/articles/votes', 'no', '203.0.113.2')).status).toBe(200);
    const zhYes = await vote('/help/zh-CN/articles/votes', 'yes', '203.0.113.1');
    expect(zhYes.html).toContain('感谢您的反馈！');

    const again = await vote('/help/en/articles/votes', 'yes', '203.0.113.1');
    expect(again.status).toBe(409);
    expect(again.html).toContain('You have already rated this article.');
    const bad = await vote('/help/en/articles/votes', 'maybe', '203.0.113.3');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Please choose Yes or No.');

    const t = (await kb(gw, admin.token).get(a.id)).body.article.translations;
    expect(t.en).toMatchObject({ helpful: 1, notHelpful: 1 });
    expect(t['zh-CN']).toMatchObject({ helpful: 1, notHelpful: 0 });

    // One address voting on article after article is stopped.
    const slugs: string[] = [];
    for (let i = 0; i < 21; i++) slugs.push(`stuffing-${i}`);
    for (const slug of slugs)
      await publishedArticle(gw, admin.token, {
        slug,
        en: { title: `Article ${slug}`, body: 'Text.' },
        zh: { title: '文章', body: '内容。' },
      });
    const statuses: number[] = [];
    for (const slug of slugs)
      statuses.push((await vote(`/help/en/articles/${slug}`, 'yes', '198.51.100.7')).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    const stuffed = await gw.models.Article.findOne({ slug: 'stuffing-20' }).lean();
    expect(stuffed?.translations.en?.helpful).toBe(0);

    const report = await api<{
      mostHelpful: { slug: string; locale: string; share: number }[];
      leastHelpful: { slug: string }[];
    }>(gw.url, admin.token, 'GET', '/knowledge/report?limit=100');
    expect(report.body.mostHelpful[0]).toMatchObject({ share: 1 });
    expect(report.body.leastHelpful[0]).toMatchObject({ slug: 'votes', locale: 'en' });
  });
});
