/**
 * An agent reply or automatic message as an email over the inbox's SMTP server:
 * threaded (In-Reply-To, References, "Re:" subject), a text and an escaped HTML part,
 * attachments, a Reply-To carrying the conversation token, Auto-Submitted on automatic
 * mail. A 5xx answer is a PermanentSendError; anything else is retried by the core. A
 * refused login or an unreachable server is also the SMTP side of the inbox's state,
 * cleared by the next attempt the server takes past the login.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import {
  PermanentSendError,
  type ChannelContext,
  type OutboundMessage,
  type SendResult,
} from '../../server/domain/channel';
import type { MessageDoc } from '../../server/domain/message';
import { messageIdFor, replyAddress, type ReplyTokens } from './addresses';
import type { EmailSettings, ServerSettings } from './settings';
import { UNREACHABLE } from './state';

export function smtpTransport(s: ServerSettings): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: { user: s.user, pass: s.password },
    tls: { rejectUnauthorized: !s.allowInvalidCertificate },
    connectionTimeout: 30_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
}

const REPLY_PREFIX = /^(\s*(re|aw|sv|antw|回复|答复|回覆)\s*(\[\d+\])?\s*[:：]\s*)+/i;

export function replySubject(subject: string | null, number: number): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').trim();
  return base ? `Re: ${base}` : `Your conversation #${number}`;
}

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!DOCTYPE html><html><body><div>${paragraphs.join('\n')}</div></body></html>`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** In-Reply-To and References from the latest message of the thread that has a Message-ID. */
export function threading(thread: MessageDoc[]): { inReplyTo: string | null; references: string[] } {
  const parent = thread.find((m) => str(m.meta?.messageId));
  const parentId = parent ? str(parent.meta.messageId) : null;
  if (!parent || !parentId) return { inReplyTo: null, references: [] };
  const chain = [...new Set([...strs(parent.meta.references), parentId])];
  // Keep the root and the most recent ids, as RFC 5322 suggests for long threads.
  const references = chain.length > 20 ? [chain[0] as string, ...chain.slice(-19)] : chain;
  return { inReplyTo: parentId, references };
}

function recipient(out: OutboundMessage): string {
  const address =
    out.contact.identities.find((i) => i.channel === 'email')?.address ?? out.contact.email ?? null;
  if (!address) throw new PermanentSendError('The contact has no email address.', null, true);
  return address;
}

export interface SmtpFailure {
  responseCode?: number;
  response?: string;
  code?: string;
  /** The system error behind a connection failure (ECONNREFUSED, ENOTFOUND...). */
  originalCode?: string;
  message: string;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * What an admin must fix when the failure is the SMTP connection itself — a refused
 * login, a server out of reach, a TLS mismatch — or null when it is not. Names the
 * server and user, never the password.
 */
export function connectionProblem(err: SmtpFailure, s: ServerSettings): string | null {
  const where = `${s.host}:${s.port}`;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH')
    return `The SMTP server ${where} refused the login for ${s.user}${err.response ? ` (${oneLine(err.response)})` : ''}. Check the user name and password; Gmail and Outlook need an app password.`;
  if (err.code === 'ETLS' || (err.code === 'ESOCKET' && /certificate|SSL|TLS/i.test(err.message)))
    return `TLS with the SMTP server ${where} failed (${oneLine(err.message)}). Check the security setting and port.`;
  if (err.code && /^(ECONNECTION|ETIMEDOUT|ESOCKET|EDNS|EPROXY)$/.test(err.code)) {
    const cause =
      err.originalCode && UNREACHABLE.test(err.originalCode) ? err.originalCode : oneLine(err.message);
    return `Cannot reach the SMTP server ${where} (${cause}). Check the host and port; the gateway needs outbound access to it.`;
  }
  return null;
}

/** Whether the server took the connection and the login before failing (it refused the envelope or the message). */
const pastLogin = (err: SmtpFailure) => err.code === 'EENVELOPE' || err.code === 'EMESSAGE';

/**
 * Maps an SMTP failure: 5xx is permanent (and unreachable when the address itself is
 * bad); the rest is retried. `problem` is the connection's, from `connectionProblem`.
 */
export function smtpError(err: SmtpFailure, problem: string | null = null): Error {
  const code = err.responseCode;
  if (problem && code !== undefined && code >= 500 && code < 600)
    return new PermanentSendError(problem, String(code));
  if (problem) return new Error(problem);
  if (code !== undefined && code >= 500 && code < 600) {
    const reply = oneLine(err.response ?? err.message);
    const badAddress =
      /\b5\.1\.\d\b/.test(reply) || (code === 550 && /no such user|unknown user|does not exist/i.test(reply));
    return new PermanentSendError(`The mail server refused the email: ${reply}`, String(code), badAddress);
  }
  return new Error(`SMTP ${code ?? err.code ?? 'error'}: ${err.response ?? err.message}`);
}

export interface SendVia {
  transport: Transporter<SMTPTransport.SentMessageInfo>;
  tokens: ReplyTokens;
  attachments: ChannelContext['attachments'];
  /** Reports the SMTP side of the inbox's state: the connection's problem, or null once it works. */
  report(problem: string | null): Promise<void>;
}

export async function sendEmail(
  out: OutboundMessage,
  settings: EmailSettings,
  { transport, tokens, attachments, report }: SendVia,
): Promise<SendResult> {
  const to = recipient(out);
  const token = tokens.issue(String(out.conversation._id));
  const messageId = messageIdFor(settings.fromAddress, token, String(out.message._id));
  const { inReplyTo, references } = threading(out.thread);
  const subject = replySubject(out.conversation.subject, out.conversation.number);
  const files = await Promise.all(
    out.message.attachments
      .filter((a) => a.fileId)
      .map(async (a) => {
        const f = await attachments.read(a.fileId as string);
        return { filename: a.name || f.name, content: f.data, contentType: a.contentType || f.contentType };
      }),
  );
  const name = settings.fromName ?? out.inbox.name;
  let info: SMTPTransport.SentMessageInfo;
  try {
    info = await transport.sendMail({
      from: { name, address: settings.fromAddress },
      to,
      replyTo: settings.replyToken ? { name, address: replyAddress(settings.fromAddress, token) } : undefined,
      subject,
      messageId,
      inReplyTo: inReplyTo ?? undefined,
      references: references.length > 0 ? references : undefined,
      text: out.message.text,
      html: textToHtml(out.message.text),
      attachments: files,
      headers: out.message.automatic
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
        : undefined,
    });
  } catch (raw) {
    const err = raw as SmtpFailure;
    const problem = connectionProblem(err, settings.smtp);
    if (problem !== null || pastLogin(err)) await report(problem);
    throw smtpError(err, problem);
  }
  await report(null);
  if (info.accepted.length === 0)
    throw new PermanentSendError(`The mail server accepted no recipient: ${info.response}`, null, true);
  return {
    providerId: messageId,
    status: 'sent',
    meta: { messageId, inReplyTo, references, subject, to: [to] },
  };
}
