/**
 * Erasure: deletes a contact and everything of theirs — conversations, messages and their
 * files, timelines, clocks' measurements, seats, surveys, complaints, follow-up tasks,
 * identities, web chat upload quotas — leaving a tombstone without personal data. The
 * retention sweep uses the conversation half of it.
 */
import { mongo, Types, type Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ContactDoc } from '../domain/contact';
import { NotFound } from '../domain/errors';
import type { Models } from '../domain/models';

export type Deleted = Record<string, number>;

export interface ErasureDeps {
  models: Models;
  redis: Redis;
  redisPrefix: string;
  now: () => Date;
  logger: Logger;
  /** This process's cached copies of the contact go. */
  contactChanged?: (contactId: string) => void;
}

const add = (into: Deleted, kind: string, n: number) => {
  if (n > 0) into[kind] = (into[kind] ?? 0) + n;
};

export class Erasure {
  private readonly files: mongo.GridFSBucket;

  constructor(private readonly d: ErasureDeps) {
    const db = (d.models.Message.db as Connection).db;
    if (!db) throw new Error('database not connected');
    this.files = new mongo.GridFSBucket(db, { bucketName: 'attachments' });
  }

  /** Deletes conversations and all that hangs on them; returns what went, by kind. */
  async conversations(ids: Types.ObjectId[], into: Deleted = {}): Promise<Deleted> {
    if (ids.length === 0) return into;
    const m = this.d.models;
    const byConv = { conversationId: { $in: ids } };
    const carrying = await m.Message.find(
      { ...byConv, 'attachments.0': { $exists: true } },
      { 'attachments.fileId': 1 },
    ).lean();
    for (const msg of carrying)
      for (const a of msg.attachments ?? [])
        if (a.fileId && Types.ObjectId.isValid(a.fileId)) add(into, 'files', await this.deleteFile(a.fileId));
    add(into, 'messages', (await m.Message.deleteMany(byConv)).deletedCount);
    add(into, 'events', (await m.ConversationEvent.deleteMany(byConv)).deletedCount);
    add(into, 'measurements', (await m.SlaMeasurement.deleteMany(byConv)).deletedCount);
    add(into, 'seats', (await m.Assignment.deleteMany(byConv)).deletedCount);
    add(into, 'surveys', (await m.Survey.deleteMany(byConv)).deletedCount);
    add(into, 'complaints', (await m.Complaint.deleteMany(byConv)).deletedCount);
    add(into, 'followUps', (await m.FollowUpTask.deleteMany(byConv)).deletedCount);
    add(into, 'resolutions', (await m.Resolution.deleteMany(byConv)).deletedCount);
    add(into, 'qualitySamples', (await m.QualitySample.deleteMany(byConv)).deletedCount);
    add(into, 'qualityScores', (await m.QualityScore.deleteMany(byConv)).deletedCount);
    // The conversations before their search entries: see the indexer's write.
    add(into, 'conversations', (await m.Conversation.deleteMany({ _id: { $in: ids } })).deletedCount);
    add(into, 'searchEntries', (await m.SearchEntry.deleteMany(byConv)).deletedCount);
    return into;
  }

  /** Erases a contact; the tombstone records who asked and how much went. */
  async contact(contactId: string, byAgentId: string | null): Promise<Deleted> {
    const m = this.d.models;
    const contact = await m.Contact.findById(contactId, { identities: 1 }).lean<
      Pick<ContactDoc, '_id' | 'identities'>
    >();
    if (!contact) throw new NotFound('Contact');
    const id = contact._id;
    const deleted: Deleted = {};
    const convs = await m.Conversation.find({ contactId: id }, { _id: 1 }).lean();
    await this.conversations(
      convs.map((c) => c._id),
      deleted,
    );
    add(deleted, 'surveys', (await m.Survey.deleteMany({ contactId: id })).deletedCount);
    add(deleted, 'complaints', (await m.Complaint.deleteMany({ contactId: id })).deletedCount);
    add(deleted, 'followUps', (await m.FollowUpTask.deleteMany({ contactId: id })).deletedCount);
    add(deleted, 'notes', (await m.ContactNote.deleteMany({ contactId: id })).deletedCount);
    for (const i of contact.identities ?? [])
      if (i.channel === 'webchat') add(deleted, 'visitorSessions', await this.forgetVisitor(i.address));
    add(deleted, 'identities', (await m.ContactIdentity.deleteMany({ contactId: id })).deletedCount);
    add(deleted, 'contacts', (await m.Contact.deleteOne({ _id: id })).deletedCount);
    add(deleted, 'searchEntries', (await m.SearchEntry.deleteMany({ contactId: id })).deletedCount);
    this.d.contactChanged?.(String(id));
    await m.ContactErasure.create({
      contactId: id,
      byAgentId: byAgentId && Types.ObjectId.isValid(byAgentId) ? new Types.ObjectId(byAgentId) : null,
      at: this.d.now(),
      deleted,
    });
    this.d.logger.info({ contactId: String(id), deleted }, 'contact erased');
    return deleted;
  }

  private async deleteFile(fileId: string): Promise<number> {
    try {
      await this.files.delete(new Types.ObjectId(fileId));
      return 1;
    } catch (err) {
      // Already gone (the orphan sweep, or a message that shared it).
      if (err instanceof mongo.MongoRuntimeError) return 0;
      throw err;
    }
  }

  /** What Redis keeps of a web chat visitor (upload quotas); the session token itself lives only in the browser. */
  private async forgetVisitor(visitorId: string): Promise<number> {
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await this.d.redis.scan(
        cursor,
        'MATCH',
        `${this.d.redisPrefix}:upload-quota:${visitorId}:*`,
        'COUNT',
        200,
      );
      cursor = next;
      if (keys.length > 0) n += await this.d.redis.del(...keys);
    } while (cursor !== '0');
    return n;
  }
}
