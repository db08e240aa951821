/**
 * One received email → one normalised InboundMessage: sender, threading (Message-ID,
 * In-Reply-To, References, reply token), the new part of the text, sanitised HTML,
 * stored attachments (inline images included) and the raw source kept as an .eml file.
 */
import { createHash } from 'node:crypto';
import { htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { ChannelContext, InboundMessage } from '../../server/domain/channel';
import type { Attachment } from '../../server/domain/types';
import { ReplyTokens, tokenOfAddress, tokenOfMessageId } from './addresses';
import { machineReason } from './machine';
import { newPart } from './quotes';
import { sanitizeHtml } from './sanitize';
import type { EmailSettings } from './settings';

export type Reading =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'ignored'; reason: string; messageId: string | null };

export interface ReadContext {
  inboxId: string;
  settings: EmailSettings;
  tokens: ReplyTokens;
  attachments: ChannelContext['attachments'];
  /** Longest text the core stores; longer mail is cut (the .eml keeps it whole). */
  maxTextLength: number;
  /** Whether a message with this dedupe key is stored already (a re-read after a restart). */
  alreadyStored(dedupeKey: string): Promise<boolean>;
  /** Where the message was read from, for the fallback dedupe key and the metadata. */
  source: { mailbox: string; uidValidity: string; uid: number };
}

const MESSAGE_ID = /<[^<>\s]+>/g;
const ids = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.match(MESSAGE_ID) ?? []);

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((a) => a.value)
    .flatMap((v) => [v.address, ...(v.group ?? []).map((g) => g.address)])
    .filter((a): a is string => typeof a === 'string' && a.length > 0)
    .map((a) => a.toLowerCase());

const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .filter((h) => h.key === name)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .trim()
        .toLowerCase(),
    );

const hashed = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);

/** The conversation named by a reply token in a recipient address or one of our Message-IDs. */
function tokenConversation(mail: ParsedMail, refs: string[], c: ReadContext): string | null {
  const recipients = [
    ...addresses(mail.to),
    ...addresses(mail.cc),
    ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => rawHeader(mail, h)),
  ];
  const tokens = [
    ...recipients.map((a) => tokenOfAddress(c.settings.fromAddress, a.replace(/^<|>$/g, ''))),
    ...[...refs].reverse().map(tokenOfMessageId),
  ];
  for (const t of tokens) {
    const id = t ? c.tokens.verify(t) : null;
    if (id) return id;
  }
  return null;
}

async function storeParts(
  mail: ParsedMail,
  c: ReadContext,
): Promise<{ stored: Attachment[]; inline: Map<string, string>; skipped: string[] }> {
  const stored: Attachment[] = [];
  const inline = new Map<string, string>();
  const skipped: string[] = [];
  for (const [i, a] of mail.attachments.entries()) {
    const name =
      a.filename ?? (a.contentType === 'message/delivery-status' ? 'delivery-status.txt' : `part-${i + 1}`);
    if (a.size > c.attachments.maxBytes) {
      skipped.push(`${name} (${Math.ceil(a.size / 1048576)} MB)`);
      continue;
    }
    const saved = await c.attachments.store(a.content, { name, contentType: a.contentType });
    stored.push(saved);
    const cid = (a.cid ?? a.contentId ?? '').replace(/^<|>$/g, '');
    if (cid && saved.url) inline.set(cid, saved.url);
  }
  return { stored, inline, skipped };
}

/**
 * The text of an HTML-only email. mailparser derives it for a message that is only HTML,
 * but not when the HTML sits in a multipart beside attachments.
 */
function htmlText(html: string | false | undefined): string {
  if (!html) return '';
  return htmlToText(html, {
    wordwrap: false,
    limits: { maxDepth: 200 },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

export async function readEmail(raw: Buffer, c: ReadContext): Promise<Reading> {
  const mail = await simpleParser(raw, { keepCidLinks: true, skipImageLinks: true });
  const messageId = ids(mail.messageId)[0] ?? null;
  const from = mail.from?.value[0];
  const address = from?.address?.toLowerCase();
  if (!address) return { kind: 'ignored', reason: 'no sender address', messageId };
  if (address === c.settings.fromAddress)
    return { kind: 'ignored', reason: 'sent by this inbox itself', messageId };

  const references = ids(mail.references);
  const parents = ids(mail.inReplyTo);
  const fallback = `imap:${hashed(`${c.source.mailbox}:${c.source.uidValidity}:${c.source.uid}`)}`;
  const dedupeKey = messageId ? (messageId.length <= 500 ? messageId : `mid:${hashed(messageId)}`) : fallback;
  if (await c.alreadyStored(dedupeKey)) return { kind: 'ignored', reason: 'already stored', messageId };
  const subject = mail.subject?.trim() || null;
  const automated = machineReason(mail, null);

  const { stored, inline, skipped } = await storeParts(mail, c);
  const rawSaved =
    raw.length <= c.attachments.maxBytes
      ? await c.attachments.store(raw, { name: 'original-message.eml', contentType: 'message/rfc822' })
      : null;

  const part = newPart(mail.text?.trim() ? mail.text : htmlText(mail.html), subject);
  let text = part.text;
  if (skipped.length > 0)
    text += `\n\n[Not stored, over the ${Math.floor(c.attachments.maxBytes / 1048576)} MB limit: ${skipped.join(', ')}]`;
  if (text.length > c.maxTextLength)
    text = `${text.slice(0, c.maxTextLength - 80)}\n\n[Cut here; the whole email is in original-message.eml]`;

  return {
    kind: 'message',
    message: {
      inboxId: c.inboxId,
      from: { channel: 'email', address },
      profile: { name: from?.name || null, email: address },
      dedupeKey,
      text,
      html: mail.html ? sanitizeHtml(mail.html, inline) : null,
      attachments: rawSaved ? [...stored, rawSaved] : stored,
      subject,
      threadKey: references[0] ?? parents[0] ?? messageId ?? fallback,
      inReplyTo: [...new Set([...parents, ...references])],
      conversationId: tokenConversation(mail, [...references, ...parents], c),
      automated: automated !== null,
      sentAt: mail.date,
      meta: {
        messageId,
        inReplyTo: parents[0] ?? null,
        references,
        subject,
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        quoteTrimmed: part.trimmed,
        ...(automated ? { automatedReason: automated } : {}),
        raw: rawSaved
          ? { url: rawSaved.url, fileId: rawSaved.fileId, size: raw.length }
          : { size: raw.length },
        imap: c.source,
      },
    },
  };
}
