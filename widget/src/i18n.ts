/** The widget's words in English and Simplified Chinese, picked from data-locale or the browser. */
const en = {
  open: 'Open chat',
  close: 'Close chat',
  title: 'Chat with us',
  welcome: '👋 Hi! How can we help you today?',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  limits: 'Images and documents, up to {size}',
  tooBig: '{name} is larger than {size}.',
  badType: '{name} is not a kind of file that can be sent here.',
  uploadUnavailable: 'Attachments are not available right now.',
  uploading: 'Uploading {name}…',
  queued: 'You are number {n} in line.',
  queuedWait: 'An agent will answer within {min} min.',
  assigned: 'You are chatting with {name}.',
  assignedAnon: 'An agent is with you.',
  resolved: 'This conversation is resolved. Write to start a new one.',
  acceptSolution: 'Accept this solution',
  surveyTitle: 'How did we do?',
  surveyRate: '{n} out of 5 stars',
  surveyComment: 'Anything you would like to add? (optional)',
  surveySend: 'Send rating',
  surveyThanks: 'Thanks for your feedback!',
  surveyRated: 'You rated us {n} out of 5',
  surveyChange: 'Change my rating',
  surveyClosed: 'This survey has closed.',
  connecting: 'Reconnecting…',
  typing: '{name} is typing…',
  someone: 'Agent',
  you: 'You',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  unread: '{n} unread',
  preChatIntro: 'Tell us who you are so we can follow up.',
  name: 'Name',
  email: 'Email',
  emailOptional: 'Email (optional)',
  topic: 'What is it about?',
  topicAny: 'Choose a topic (optional)',
  start: 'Start chat',
  offlineIntro: 'No agent is online right now. Leave a message and we will reply by email.',
  offlineExpect: 'We will reply by email within {when}.',
  closedIntro: "Leave a message and we'll reply by email.",
  closedNow: "We're closed right now.",
  opensAt: 'We open again on {when}.',
  hoursTitle: 'Opening hours ({zone})',
  closedDay: 'Closed',
  message: 'Message',
  leaveMessage: 'Send message',
  required: 'Please fill in this field.',
  badEmail: 'Please enter a valid email address.',
  error: 'Something went wrong. Please try again.',
};

export type Words = typeof en;
export type Key = keyof Words;

const zh: Words = {
  open: '打开聊天',
  close: '关闭聊天',
  title: '在线客服',
  welcome: '👋 您好！有什么可以帮您？',
  placeholder: '输入消息…',
  send: '发送',
  attach: '添加附件',
  limits: '可发送图片和文档，不超过 {size}',
  tooBig: '{name} 超过 {size}。',
  badType: '{name} 的文件类型不能在这里发送。',
  uploadUnavailable: '暂时无法发送附件。',
  uploading: '正在上传 {name}…',
  queued: '您前面还有 {n} 位（含您）。',
  queuedWait: '客服将在 {min} 分钟内回复。',
  assigned: '{name} 正在为您服务。',
  assignedAnon: '客服正在为您服务。',
  resolved: '本次会话已结束。发送消息可开始新的会话。',
  acceptSolution: '接受此处理方案',
  surveyTitle: '您对本次服务满意吗？',
  surveyRate: '{n} 星（满分 5 星）',
  surveyComment: '还有什么想告诉我们的吗？（选填）',
  surveySend: '提交评价',
  surveyThanks: '感谢您的评价！',
  surveyRated: '您的评分：{n} 星（满分 5 星）',
  surveyChange: '修改评价',
  surveyClosed: '本次评价已截止。',
  connecting: '正在重新连接…',
  typing: '{name} 正在输入…',
  someone: '客服',
  you: '您',
  sending: '发送中',
  sent: '已发送',
  delivered: '已送达',
  read: '已读',
  failed: '发送失败',
  unread: '{n} 条未读',
  preChatIntro: '请留下您的信息，方便我们跟进。',
  name: '姓名',
  email: '邮箱',
  emailOptional: '邮箱（选填）',
  topic: '咨询类型',
  topicAny: '请选择问题类型（选填）',
  start: '开始聊天',
  offlineIntro: '目前没有客服在线。请留言，我们会通过邮件回复您。',
  offlineExpect: '我们将在 {when} 内通过邮件回复。',
  closedIntro: '请留言，我们会通过邮件回复您。',
  closedNow: '现在是非工作时间。',
  opensAt: '我们将于{when}恢复服务。',
  hoursTitle: '服务时间（{zone}）',
  closedDay: '休息',
  message: '留言',
  leaveMessage: '提交留言',
  required: '请填写此项。',
  badEmail: '请输入有效的邮箱地址。',
  error: '出错了，请重试。',
};

export type Locale = 'en' | 'zh-CN';

export function pickLocale(requested: string | null | undefined, browser: readonly string[]): Locale {
  for (const l of [requested, ...browser]) {
    if (!l) continue;
    if (/^zh/i.test(l)) return 'zh-CN';
    if (/^en/i.test(l)) return 'en';
  }
  return 'en';
}

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const words = locale === 'zh-CN' ? zh : en;
  return (key, vars = {}) => words[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}
