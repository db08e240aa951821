/**
 * The search indexer: told of every stored message in process (no database work on the
 * path that stores it), it writes the entries in one batch at most `delayMs` later, and
 * the contact entries of the conversations involved. At start it catches up on messages
 * stored since the newest entry (less a margin, for processes whose clocks or batches
 * differ), and indexes the whole history in the background on a database without one.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { Cached } from '../cache/cached';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import type { SearchEntryDoc } from './model';
import { contactTerms, messageTerms, type Blind } from './terms';

const CATCH_UP_MARGIN_MS = 5 * 60_000;
const PAGE = 500;
const MAX_PENDING = 2000;

type Conv = Pick<ConversationDoc, '_id' | 'contactId' | 'inboxId' | 'subject'>;

export class SearchIndexer {
  private readonly pending = new Map<string, SearchEntryDoc>();
  private readonly contacts = new Set<string>();
  /** Messages this process indexed, with their edit time: a delivery update re-indexes nothing. */
  private readonly seen = new Cached<number>(10 * 60_000, 50_000);
  private readonly contactsSeen = new Cached<true>(5 * 60_000, 20_000);
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly models: Models,
    private readonly delayMs: number,
    private readonly blind: Blind,
    private readonly logger: Logger,
  ) {}

  /** A message was stored or changed. */
  message(msg: MessageDoc, conv: Conv): void {
    if (this.closed || msg.automatic) return;
    const id = String(msg._id);
    const edited = msg.editedAt ? new Date(msg.editedAt).getTime() : 0;
    if (this.seen.peek(id) === edited) return;
    this.seen.set(id, edited);
    this.pending.set(id, this.entryOf(msg, conv));
    const contactId = String(conv.contactId);
    if (!this.contactsSeen.peek(contactId)) this.contacts.add(contactId);
    if (this.pending.size >= MAX_PENDING) this.flushSoon(0);
    else this.flushSoon(this.delayMs);
  }

  private entryOf(msg: MessageDoc, conv: Conv): SearchEntryDoc {
    return {
      _id: String(msg._id),
      kind: 'message',
      conversationId: conv._id,
      contactId: conv.contactId,
      inboxId: conv.inboxId,
      terms: messageTerms(msg.text ?? '', conv.subject ?? null),
      at: msg.createdAt ? new Date(msg.createdAt) : new Date(),
    };
  }

  private flushSoon(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** Writes what is pending (one batch after another); a failed batch is logged and kept for the next. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0 && this.contacts.size === 0) return;
    const entries = [...this.pending.values()];
    const contactIds = [...this.contacts];
    this.pending.clear();
    this.contacts.clear();
    try {
      if (entries.length) await this.upsert(entries);
      if (contactIds.length) await this.indexContacts(contactIds);
    } catch (err) {
      this.logger.error(
        { err, messages: entries.length },
        'search index write failed; retried with the next batch',
      );
      for (const e of entries) if (!this.pending.has(e._id)) this.pending.set(e._id, e);
      for (const c of contactIds) this.contacts.add(c);
      if (!this.closed) this.flushSoon(Math.max(this.delayMs, 1000));
    }
  }

  /**
   * Writes entries, then drops those whose conversation or contact is gone by now. Erasure
   * deletes the conversation (or contact) before its entries, so a batch that lands in
   * between is caught either here or by erasure's own delete: nothing erased stays indexed.
   */
  private async upsert(entries: SearchEntryDoc[]): Promise<void> {
    await this.models.SearchEntry.bulkWrite(
      entries.map((e) => ({ replaceOne: { filter: { _id: e._id }, replacement: e, upsert: true } })),
      { ordered: false },
    );
    const owners = (kind: SearchEntryDoc['kind'], of: (e: SearchEntryDoc) => unknown) => [
      ...new Set(entries.filter((e) => e.kind === kind).map((e) => String(of(e)))),
    ];
    const convIds = owners('message', (e) => e.conversationId);
    const contactIds = owners('contact', (e) => e.contactId);
    const [convs, contacts] = await Promise.all([
      convIds.length ? this.models.Conversation.find({ _id: { $in: convIds } }, { _id: 1 }).lean() : [],
      contactIds.length ? this.models.Contact.find({ _id: { $in: contactIds } }, { _id: 1 }).lean() : [],
    ]);
    const alive = new Set([...convs, ...contacts].map((d) => String(d._id)));
    const gone = entries
      .filter((e) => !alive.has(String(e.kind === 'message' ? e.conversationId : e.contactId)))
      .map((e) => e._id);
    if (gone.length) await this.models.SearchEntry.deleteMany({ _id: { $in: gone } });
  }

  private async indexContacts(ids: string[]): Promise<void> {
    const contacts = await this.models.Contact.find(
      { _id: { $in: ids } },
      { name: 1, email: 1, phone: 1 },
    ).lean<ContactDoc[]>();
    if (contacts.length === 0) return;
    const at = new Date();
    await this.upsert(
      contacts.map((c) => ({
        _id: `contact:${String(c._id)}`,
        kind: 'contact' as const,
        conversationId: null,
        contactId: c._id,
        inboxId: null,
        terms: contactTerms(c, this.blind),
        at,
      })),
    );
    for (const c of contacts) this.contactsSeen.set(String(c._id), true);
  }

  /** Indexes the messages stored since the newest entry (all of them on an empty index), page by page. */
  async catchUp(): Promise<number> {
    const newest = await this.models.SearchEntry.findOne({ kind: 'message' }, { at: 1 })
      .sort({ at: -1 })
      .lean<Pick<SearchEntryDoc, 'at'>>();
    let after = newest
      ? Types.ObjectId.createFromTime(Math.floor((newest.at.getTime() - CATCH_UP_MARGIN_MS) / 1000))
      : null;
    let count = 0;
    for (;;) {
      if (this.closed) return count;
      const page = await this.models.Message.find(after ? { _id: { $gt: after } } : {}, {
        text: 1,
        conversationId: 1,
        automatic: 1,
        createdAt: 1,
      })
        .sort({ _id: 1 })
        .limit(PAGE)
        .lean<MessageDoc[]>();
      if (page.length === 0) return count;
      const convIds = [...new Set(page.map((m) => String(m.conversationId)))];
      const convs = await this.models.Conversation.find(
        { _id: { $in: convIds } },
        { contactId: 1, inboxId: 1, subject: 1 },
      ).lean<Conv[]>();
      const byId = new Map(convs.map((c) => [String(c._id), c]));
      const entries: SearchEntryDoc[] = [];
      for (const m of page) {
        const conv = byId.get(String(m.conversationId));
        if (conv && !m.automatic) entries.push(this.entryOf(m, conv));
      }
      if (entries.length) await this.upsert(entries);
      await this.indexContacts([...new Set(convs.map((c) => String(c.contactId)))]);
      count += entries.length;
      after = page[page.length - 1]!._id;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
