/** The demo's help centre: its articles in both languages, published and found, once however often it starts. */
import { seedDemoKnowledge } from '../../scripts/demo-knowledge';
import { createAgent, suiteGateway } from '../harness/gateway';
import { publicSearch } from './helpers';

const gw = suiteGateway();

it('publishes a handful of articles in English and Chinese, idempotently', async () => {
  await createAgent(gw, { email: 'lead@demo.test', role: 'supervisor' });
  await seedDemoKnowledge(gw.app, 'lead@demo.test');
  await seedDemoKnowledge(gw.app, 'lead@demo.test');
  const articles = await gw.models.Article.find().lean();
  expect(articles.length).toBeGreaterThanOrEqual(5);
  expect(articles.every((a) => a.translations.en?.published && a.translations['zh-CN']?.published)).toBe(
    true,
  );
  expect(await gw.models.ArticleCategory.countDocuments()).toBe(3);
  expect((await publicSearch(gw.url, '忘记密码了怎么办', 'zh-CN')).body.articles[0]?.slug).toBe(
    'reset-password',
  );
  expect((await publicSearch(gw.url, 'my parcel has not arrived', 'en')).body.articles[0]?.slug).toBe(
    'delivery-times',
  );
  expect(await fetch(`${gw.url}/help/zh-CN/categories/payments`).then((r) => r.text())).toContain(
    '如何开具发票？',
  );
});
