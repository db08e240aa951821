/**
 * The classification matcher: picks a category for a conversation's first customer
 * message from the visitor's pre-chat choice or the first matching rule. Pure, so the
 * rule language is specified by its table-driven tests.
 */

export interface RuleSpec {
  id: string;
  category: string;
  /** Channels the rule applies to; empty means every channel. */
  channels: readonly string[];
  /** Any one of them must occur in the message; empty means no keyword condition. */
  keywords: readonly string[];
}

export interface FirstMessage {
  channel: string;
  text: string;
  subject?: string | null;
  /** The category the customer picked before writing (web chat pre-chat form). */
  choice?: string | null;
}

export type Classified =
  | { category: string; by: 'choice' }
  | { category: string; by: 'rule'; ruleId: string; keyword: string | null };

// Scripts written without spaces between words: a keyword matches anywhere in the text.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
// Characters that continue a word in spaced scripts; a keyword must not touch one at either end.
const WORD = String.raw`[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}_]`;

const normalise = (s: string) => s.normalize('NFKC').toLowerCase();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `keyword` occurs in `text`: case-insensitively as a whole word (or phrase, any
 * spacing) for English and other spaced scripts; as a plain substring for Chinese.
 */
export function keywordMatches(text: string, keyword: string): boolean {
  const k = normalise(keyword).trim();
  if (!k) return false;
  const t = normalise(text);
  if (UNSPACED.test(k)) return t.includes(k);
  const phrase = k
    .split(/\s+/)
    .map(escape)
    .join(String.raw`\s+`);
  return new RegExp(`(?<!${WORD})${phrase}(?!${WORD})`, 'u').test(t);
}

/**
 * The category for a first message: the customer's own choice when it names an enabled
 * category, else the first rule (in the given order) whose channel and keyword
 * conditions all hold and whose category is enabled, else null.
 */
export function classify(
  msg: FirstMessage,
  rules: readonly RuleSpec[],
  enabled: ReadonlySet<string>,
): Classified | null {
  if (msg.choice && enabled.has(msg.choice)) return { category: msg.choice, by: 'choice' };
  const text = msg.subject ? `${msg.subject}\n${msg.text}` : msg.text;
  for (const rule of rules) {
    if (!enabled.has(rule.category)) continue;
    if (rule.channels.length > 0 && !rule.channels.includes(msg.channel)) continue;
    if (rule.keywords.length === 0)
      return { category: rule.category, by: 'rule', ruleId: rule.id, keyword: null };
    const keyword = rule.keywords.find((k) => keywordMatches(text, k));
    if (keyword !== undefined) return { category: rule.category, by: 'rule', ruleId: rule.id, keyword };
  }
  return null;
}
