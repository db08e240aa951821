/**
 * The new part of an email: the reply above the quoted history and the signature.
 * Recognises the quote headers of Gmail, Outlook, Apple Mail, QQ Mail and Foxmail in
 * English and Chinese, ">" quoted blocks, "-- " signatures and mobile sign-offs.
 */

/** A line that starts the quoted history on its own. */
const HEADER_LINE: RegExp[] = [
  /^-{2,}\s*(original message|原始邮件|原始郵件)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above its "From: … Sent: …" block
  /^(在|於|于).{4,}(写道|寫道)\s*[:：]\s*$/,
  /^on .{4,}wrote\s*:\s*$/i,
  /^le .{4,}a écrit\s*:\s*$/i,
  /^am .{4,}schrieb .{1,}:\s*$/i,
];

/** A line that starts Outlook's header block when one of the next lines confirms it. */
const BLOCK_START = /^\*?(from|发件人|寄件者)\s*\*?\s*[:：]/i;
const BLOCK_NEXT =
  /^\*?(sent|date|to|subject|发送时间|发送日期|时间|日期|收件人|主题|寄件日期|收件者|主旨)\s*\*?\s*[:：]/i;

/** Sign-offs mobile clients append. */
const SIGN_OFF = [
  /^sent from my \S+/i,
  /^get outlook for \S+/i,
  /^发自我的\S+/,
  /^从我的\S+发送/,
  /^sent from (mail|outlook) for windows/i,
];

function headerAt(lines: string[], i: number): boolean {
  const line = (lines[i] ?? '').trim();
  if (HEADER_LINE.some((r) => r.test(line))) return true;
  // Gmail wraps a long "On … wrote:" over two lines.
  const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
  if (/^(on|在) /i.test(line) && HEADER_LINE.some((r) => r.test(joined))) return true;
  if (BLOCK_START.test(line)) {
    const next = lines.slice(i + 1, i + 5).map((l) => l.trim());
    return next.filter((l) => BLOCK_NEXT.test(l)).length >= 2;
  }
  return false;
}

export interface NewPart {
  text: string;
  /** Whether anything (history, signature) was cut. */
  trimmed: boolean;
}

const FORWARD_SUBJECT = /^\s*(fwd?|fw|转发|轉寄)\s*[:：]/i;
const FORWARD_MARKER =
  /^(-{2,}\s*(forwarded message|转发的邮件|轉寄郵件)\s*-{2,}|begin forwarded message:)\s*$/i;

/**
 * The new part of `full`. A forwarded email (by subject or marker) keeps the forwarded
 * content, which is what the customer wants read.
 */
export function newPart(full: string, subject: string | null = null): NewPart {
  const text = full.replace(/\r\n?/g, '\n');
  if (
    (subject && FORWARD_SUBJECT.test(subject)) ||
    text.split('\n').some((l) => FORWARD_MARKER.test(l.trim()))
  )
    return stripSignOff(text);
  let lines = text.split('\n');
  const cut = lines.findIndex((_l, i) => headerAt(lines, i));
  if (cut >= 0) lines = lines.slice(0, cut);

  // A trailing block of ">" lines is quoted history without a header.
  let end = lines.length;
  while (end > 0 && /^\s*(>.*)?$/.test(lines[end - 1] ?? '')) end--;
  lines = lines.slice(0, end);

  const sig = lines.findIndex((l) => l === '-- ' || l === '--');
  if (sig >= 0) lines = lines.slice(0, sig);
  return stripSignOff(lines.join('\n'), text);
}

function stripSignOff(part: string, full = part): NewPart {
  const lines = part.split('\n');
  while (lines.length > 0 && /^\s*$/.test(lines[lines.length - 1] ?? '')) lines.pop();
  while (lines.length > 0 && SIGN_OFF.some((r) => r.test((lines[lines.length - 1] ?? '').trim())))
    lines.pop();
  const result = lines
    .join('\n')
    .replace(/\s+$/, '')
    .replace(/^\s*\n/, '');
  // A message that is all quote (or all signature) keeps its full text.
  if (!result.trim()) return { text: full.trim(), trimmed: false };
  return { text: result, trimmed: result !== full.trim() };
}
