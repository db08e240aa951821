/**
 * The demo's quality inspection: a standard rubric (greeting, accuracy, forbidden phrases,
 * timeliness from the clocks), this week's draw, and the demo agent's resolved
 * conversations scored by the supervisor — one clean, one with an accuracy error — so the
 * Quality tab has a queue, scores and a report from the first start. Runs once.
 */
import type { App } from '../server/app';
import type { AgentDoc } from '../server/domain/agent';
import { Timeline } from '../server/ingest/timeline';
import { Inspections } from '../server/quality/inspections';
import { Rubrics } from '../server/quality/rubric';
import { Sampler } from '../server/quality/sampling';
import { scopeOf } from '../server/access/rules';

const RUBRIC = {
  name: '标准质检 Standard inspection',
  criteria: [
    {
      key: 'greeting',
      label: { en: 'Greeting and name', zh: '规范问候并报工号' },
      weight: 1,
      kind: 'pass_fail' as const,
    },
    {
      key: 'accuracy',
      label: { en: 'Accurate answer', zh: '解答准确' },
      weight: 3,
      kind: 'scale' as const,
      max: 5,
      errorBelow: 3,
    },
    {
      key: 'forbidden_phrases',
      label: { en: 'No forbidden phrases', zh: '无服务禁语' },
      weight: 2,
      kind: 'pass_fail' as const,
    },
    {
      key: 'timeliness',
      label: { en: 'Timely replies', zh: '响应及时' },
      weight: 2,
      kind: 'scale' as const,
      max: 4,
      errorBelow: 2,
      auto: 'timeliness' as const,
    },
  ],
};

const ASKED = {
  address: 'demo-visitor-li',
  name: '李明',
  text: '你好，请问退货运费谁来承担？',
  reply: '您好，退货运费一律由您自己承担。',
};

export async function seedDemoQuality(
  app: App,
  inboxKey: string,
  agentEmail: string,
  supervisorEmail: string,
): Promise<void> {
  const { models } = app;
  if (await models.QualityRubric.exists({})) return;
  const [agent, supervisor] = await Promise.all([
    models.Agent.findOne({ email: agentEmail }).lean<AgentDoc>(),
    models.Agent.findOne({ email: supervisorEmail }).lean<AgentDoc>(),
  ]);
  const inbox = await models.Inbox.findOne({ key: inboxKey }, { _id: 1 }).lean();
  if (!agent || !supervisor || !inbox) return;
  const now = () => new Date();
  const rubrics = new Rubrics(models, now);
  const rubric = await rubrics.save(RUBRIC, String(supervisor._id));

  // A second question the agent answered wrongly (the policy is free returns), then resolved.
  const asked = await app.ingest.ingest({
    inboxId: String(inbox._id),
    from: { channel: 'webchat', address: ASKED.address },
    profile: { name: ASKED.name, locale: 'zh-CN' },
    dedupeKey: 'demo:question:2',
    text: ASKED.text,
  });
  await app.router.take(scopeOf(agent), asked.conversationId);
  await app.replies.send(agent, {
    conversationId: asked.conversationId,
    clientId: 'demo-reply-2',
    text: ASKED.reply,
  });
  await app.router.resolve(scopeOf(agent), asked.conversationId);

  const timeline = new Timeline(models);
  const zone = async () => app.config.defaultTimeZone;
  const sampler = new Sampler({
    models,
    timeline,
    share: 1,
    seed: app.config.quality.sampleSeed,
    zone,
    now,
    logger: app.logger,
  });
  await sampler.draw();
  const inspections = new Inspections(models, rubrics, timeline, now);
  const samples = await models.QualitySample.find({ agentId: agent._id, status: 'pending' }).lean();
  for (const s of samples) {
    const wrong = String(s.conversationId) === asked.conversationId;
    await inspections.score(supervisor, String(s._id), {
      rubricVersion: rubric.version,
      criteria: [
        { key: 'greeting', score: 1 },
        {
          key: 'accuracy',
          score: wrong ? 1 : 5,
          comment: wrong ? '退货运费由我们承担，答复有误。The return is free: the answer was wrong.' : '',
        },
        { key: 'forbidden_phrases', score: 1 },
      ],
      comment: wrong
        ? '请先查阅退货政策再答复。Check the returns policy before answering.'
        : '处理得很好。Well handled.',
    });
  }
}
