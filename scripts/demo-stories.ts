/**
 * The demo's first conversations, made once through the gateway's own services so they
 * are what a team would see after a morning's work: a complaint with its deadlines
 * running, and an answered question the customer rated, whose new-customer follow-up is
 * now due on the agent's list.
 */
import type { App } from '../server/app';
import type { AgentDoc } from '../server/domain/agent';
import { scopeOf } from '../server/access/rules';

const COMPLAINT = {
  address: 'demo-visitor-wang',
  name: '王芳',
  text: '我要投诉：订单 #1024 的快递三天了还没到，客服电话也一直打不通。',
};
const RATED = {
  address: 'demo-visitor-sam',
  name: 'Sam Lee',
  text: 'Hi! How can I change the delivery address on my order?',
  reply: 'Hi Sam, I have changed it for you: the parcel now goes to the new address. Anything else?',
  comment: 'Quick and friendly, thank you!',
};

export async function seedDemoStories(app: App, inboxKey: string, agentEmail: string): Promise<void> {
  const { models } = app;
  const inbox = await models.Inbox.findOne({ key: inboxKey }).lean();
  const agent = await models.Agent.findOne({ email: agentEmail }).lean<AgentDoc>();
  if (!inbox || !agent || (await models.Conversation.exists({ inboxId: inbox._id }))) return;
  const inboxId = String(inbox._id);

  await app.ingest.ingest({
    inboxId,
    from: { channel: 'webchat', address: COMPLAINT.address },
    profile: { name: COMPLAINT.name, locale: 'zh-CN' },
    dedupeKey: 'demo:complaint:1',
    text: COMPLAINT.text,
  });

  const asked = await app.ingest.ingest({
    inboxId,
    from: { channel: 'webchat', address: RATED.address },
    profile: { name: RATED.name, locale: 'en' },
    dedupeKey: 'demo:question:1',
    text: RATED.text,
  });
  const id = asked.conversationId;
  await app.router.take(scopeOf(agent), id);
  await app.replies.send(agent, { conversationId: id, clientId: 'demo-reply-1', text: RATED.reply });
  await app.router.resolve(scopeOf(agent), id);
  // The survey is asked just after the resolution: answer it as the customer would.
  for (let i = 0; i < 100; i++) {
    const survey = await models.Survey.findOne({ conversationId: id }, { _id: 1 }).lean();
    if (survey) {
      await app.csat.answers.fromChannel({
        surveyId: String(survey._id),
        rating: 5,
        comment: RATED.comment,
        from: { channel: 'webchat', address: RATED.address },
        dedupeKey: 'demo:rating:1',
      });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
