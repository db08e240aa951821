/**
 * Searching conversations: by number ("42" or "#42"), by words inside their messages
 * and by the contact's name, email or phone, all through the search index (every query
 * term must be present; Chinese by character pairs). Results are limited to what the
 * agent may see: supervisors and admins everything; agents their teams' inboxes and
 * queues, and conversations they hold.
 */
import type { AgentDoc } from '../domain/agent';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import { conversationView } from '../domain/views';
import { snippetOf } from '../text/snippet';
import { queryWords } from '../text/query';
import type { SearchEntryDoc } from './model';
import type { Blind } from './terms';
import { conversationFilter, scopeOf } from '../access/rules';

export type MatchKind = 'number' | 'message' | 'contact';

export interface SearchHit {
  conversation: ReturnType<typeof conversationView>;
  match: MatchKind;
  /** The newest matching message's id and an excerpt around the first term, for message matches. */
  messageId: string | null;
  snippet: string | null;
}

const ENTRY_LIMIT = 500;

export class ConversationSearch {
  constructor(
    private readonly models: Models,
    private readonly blind: Blind,
  ) {}

  async search(me: AgentDoc, q: string, limit: number): Promise<SearchHit[]> {
    const words = queryWords(q);
    const number = /^#?\s*(\d{1,12})$/.exec(q.trim());
    const found = new Map<string, { match: MatchKind; messageId: string | null }>();

    if (number) {
      const conv = await this.models.Conversation.findOne({ number: Number(number[1]) }, { _id: 1 }).lean();
      if (conv) found.set(String(conv._id), { match: 'number', messageId: null });
    }
    if (words.length > 0) {
      const entries = await this.models.SearchEntry.find(
        // Messages by their words; contacts by the blind indexes of the words.
        { $or: [{ terms: { $all: words } }, { terms: { $all: words.map(this.blind) } }] },
        { kind: 1, conversationId: 1, contactId: 1 },
      )
        .sort({ at: -1 })
        .limit(ENTRY_LIMIT)
        .lean<SearchEntryDoc[]>();
      for (const e of entries)
        if (e.kind === 'message' && e.conversationId && !found.has(String(e.conversationId)))
          found.set(String(e.conversationId), { match: 'message', messageId: e._id });
      const contactIds = entries.filter((e) => e.kind === 'contact').map((e) => e.contactId);
      if (contactIds.length > 0) {
        const convs = await this.models.Conversation.find({ contactId: { $in: contactIds } }, { _id: 1 })
          .sort({ lastMessageAt: -1 })
          .limit(ENTRY_LIMIT)
          .lean();
        for (const c of convs)
          if (!found.has(String(c._id))) found.set(String(c._id), { match: 'contact', messageId: null });
      }
    }
    if (found.size === 0) return [];

    const visible = conversationFilter(scopeOf(me));
    const convs = await this.models.Conversation.find({ _id: { $in: [...found.keys()] }, ...visible })
      .sort({ lastMessageAt: -1 })
      .limit(limit + 1)
      .lean<ConversationDoc[]>();
    // The conversation of the number asked for comes first.
    convs.sort(
      (a, b) =>
        Number(found.get(String(b._id))?.match === 'number') -
        Number(found.get(String(a._id))?.match === 'number'),
    );
    const shown = convs.slice(0, limit);
    const [names, texts] = await Promise.all([
      this.names(shown),
      this.texts(shown.map((c) => found.get(String(c._id))?.messageId)),
    ]);
    return shown.map((c) => {
      const f = found.get(String(c._id))!;
      const text = f.messageId ? texts.get(f.messageId) : undefined;
      return {
        conversation: conversationView(c, names.get(String(c.contactId)) ?? null),
        match: f.match,
        messageId: f.messageId,
        snippet: text === undefined ? null : snippetOf(text, words),
      };
    });
  }

  private async names(convs: ConversationDoc[]): Promise<Map<string, string | null>> {
    const contacts = await this.models.Contact.find(
      { _id: { $in: convs.map((c) => c.contactId) } },
      { name: 1, email: 1, phone: 1 },
    ).lean<ContactDoc[]>();
    return new Map(contacts.map((c) => [String(c._id), c.name ?? c.email ?? c.phone ?? null]));
  }

  private async texts(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = ids.filter((x): x is string => !!x);
    if (wanted.length === 0) return new Map();
    const msgs = await this.models.Message.find({ _id: { $in: wanted } }, { text: 1 }).lean<MessageDoc[]>();
    return new Map(msgs.map((m) => [String(m._id), m.text]));
  }
}
