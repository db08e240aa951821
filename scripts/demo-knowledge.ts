/**
 * The demo's help centre: a few categories and articles, each in English and Chinese and
 * published, written by the supervisor; safe to run at every start (what exists stays).
 */
import type { App } from '../server/app';
import type { AgentDoc } from '../server/domain/agent';
import { Articles } from '../server/knowledge/articles';

type Text = { title: string; body: string };

const CATEGORIES = [
  { slug: 'orders', names: { en: 'Orders and delivery', zh: '订单与配送' }, order: 1 },
  { slug: 'payments', names: { en: 'Payments and refunds', zh: '支付与退款' }, order: 2 },
  { slug: 'account', names: { en: 'Your account', zh: '账户与安全' }, order: 3 },
];

const ARTICLES: { slug: string; category: string; en: Text; zh: Text }[] = [
  {
    slug: 'request-a-refund',
    category: 'payments',
    en: {
      title: 'How do I request a refund?',
      body:
        'You can ask for a refund within 30 days of delivery.\n\n' +
        '1. Sign in and open **My orders**.\n2. Choose the order and select **Request refund**.\n3. Tell us why, and add a photo if the item arrived damaged.\n\n' +
        'Once we approve it, the money goes back to the card or account you paid with, usually within 5 working days.',
    },
    zh: {
      title: '如何申请退款？',
      body:
        '签收后 30 天内均可申请退款。\n\n' +
        '1. 登录后打开“**我的订单**”。\n2. 选择对应订单，点击“**申请退款**”。\n3. 填写退款原因；如果商品到货时有破损，请上传照片。\n\n' +
        '审核通过后，款项会原路退回您的付款账户，一般在 5 个工作日内到账。',
    },
  },
  {
    slug: 'delivery-times',
    category: 'orders',
    en: {
      title: 'When will my parcel arrive?',
      body:
        'Most parcels arrive within 2 to 4 working days; remote areas can take up to a week.\n\n' +
        'As soon as your order ships, we email you a tracking link. You can also follow the parcel under **My orders**.',
    },
    zh: {
      title: '包裹多久能送到？',
      body:
        '大部分包裹会在 2 至 4 个工作日内送达，偏远地区最长可能需要一周。\n\n' +
        '订单发货后，我们会通过邮件发送物流查询链接；您也可以在“**我的订单**”中随时查看物流进度。',
    },
  },
  {
    slug: 'change-delivery-address',
    category: 'orders',
    en: {
      title: 'Changing the delivery address of an order',
      body:
        'You can change the address yourself until the order ships: open **My orders**, choose the order and select **Edit address**.\n\n' +
        'Already shipped? Chat with us and we will ask the courier to redirect the parcel where they can.',
    },
    zh: {
      title: '如何修改订单的收货地址？',
      body:
        '订单发货前，您可以自行修改地址：打开“**我的订单**”，选择订单后点击“**修改地址**”。\n\n' +
        '如果订单已经发货，请联系在线客服，我们会尽量协调快递公司为您改派。',
    },
  },
  {
    slug: 'reset-password',
    category: 'account',
    en: {
      title: 'I forgot my password',
      body:
        'On the sign-in page, select **Forgot password** and enter your email address. We send you a link to choose a new password; it works for one hour.\n\n' +
        'No email after a few minutes? Check your spam folder, or chat with us.',
    },
    zh: {
      title: '忘记密码怎么办？',
      body:
        '在登录页面点击“**忘记密码**”，输入注册时使用的邮箱，我们会发送一封重置密码的邮件，邮件中的链接一小时内有效。\n\n' +
        '几分钟后仍未收到？请检查垃圾邮件文件夹，或联系在线客服。',
    },
  },
  {
    slug: 'invoices',
    category: 'payments',
    en: {
      title: 'Getting an invoice for your order',
      body:
        'Every order has a downloadable invoice under **My orders** → **Invoice** once it ships.\n\n' +
        'Need your company name or VAT number on it? Add them under **Account** → **Billing details** before you order, or chat with us to have an invoice reissued.',
    },
    zh: {
      title: '如何开具发票？',
      body:
        '订单发货后，可在“**我的订单**”→“**发票**”中下载电子发票。\n\n' +
        '如需开具公司抬头或填写税号，请在下单前到“**账户**”→“**开票信息**”中填写；已开具的发票信息有误，可联系在线客服重新开具。',
    },
  },
];

export async function seedDemoKnowledge(app: App, supervisorEmail: string): Promise<void> {
  const { models } = app;
  const author = await models.Agent.findOne({ email: supervisorEmail }).lean<AgentDoc>();
  if (!author) return;
  const articles = new Articles(models, () => new Date());
  for (const c of CATEGORIES)
    await models.ArticleCategory.updateOne({ slug: c.slug }, { $setOnInsert: c }, { upsert: true });
  const categories = new Map(
    (await models.ArticleCategory.find({}, { slug: 1 }).lean()).map((c) => [c.slug, String(c._id)]),
  );
  for (const a of ARTICLES) {
    if (await models.Article.exists({ slug: a.slug })) continue;
    const created = await articles.create(author, {
      slug: a.slug,
      categoryId: categories.get(a.category) ?? null,
      translations: { en: a.en, 'zh-CN': a.zh },
    });
    await articles.publish(String(created._id), 'en');
    await articles.publish(String(created._id), 'zh-CN');
  }
}
