/**
 * The channel context: everything the core lends a channel (ingest, delivery reports,
 * reachability, attachments, checkpoints, automatic messages, connections), built once by
 * the composition root. Channels see only this, never the core's services themselves.
 */
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import type { ContactDirectory } from '../cache/contacts';
import type { Availability } from '../calendar/availability';
import type { Config } from '../config';
import type { ChannelContext } from '../domain/channel';
import type { ContactDoc } from '../domain/contact';
import type { ConversationDoc } from '../domain/conversation';
import type { MessageDoc } from '../domain/message';
import type { Models } from '../domain/models';
import { linkIdentity } from '../ingest/contacts';
import type { Admission } from '../ingest/admission';
import type { Ingest } from '../ingest/ingest';
import type { DeliveryRecorder } from '../messaging/delivery';
import type { Replies } from '../messaging/replies';
import type { Notifier } from '../realtime/notifier';
import type { AttachmentStore } from '../storage/attachments';

export type SetReachability = ChannelContext['setReachability'];

export interface ChannelContextDeps {
  config: Config;
  logger: Logger;
  models: Models;
  redis: Redis;
  io: IoServer;
  notifier: Notifier;
  delivery: DeliveryRecorder;
  attachments: AttachmentStore;
  ingest: Ingest;
  /** The gate in front of ingest: over its limit a message is answered busy. */
  admission: Admission;
  replies: Replies;
  setReachability: SetReachability;
  availability: Availability;
  surveys: ChannelContext['surveys'];
  acceptSolution: ChannelContext['acceptSolution'];
  contacts: Pick<ContactDirectory, 'addressOf'>;
}

export function channelContext(d: ChannelContextDeps): ChannelContext {
  const {
    config,
    logger,
    models,
    redis,
    io,
    notifier,
    delivery,
    attachments,
    ingest,
    admission,
    replies,
    setReachability,
    availability,
    surveys,
    acceptSolution,
    contacts,
  } = d;
  return {
    logger,
    ingest: (m) => admission.run(m.from.channel, () => ingest.ingest(m)),
    busy: (channel) => admission.refuse(channel),
    async updateDelivery(inboxId, providerId, status, error = null) {
      const found = await models.Message.findOne(
        { inboxId, 'delivery.providerId': providerId },
        { _id: 1, conversationId: 1 },
      ).lean<MessageDoc>();
      if (found) await delivery.record(found, status, { error });
    },
    setReachability,
    acceptSolution,
    contactAddress: (contactId, channel) => contacts.addressOf(contactId, channel),
    async reportInboxState(inboxId, status, error) {
      await models.Inbox.updateOne(
        { _id: inboxId },
        { $set: { state: { status, error, updatedAt: new Date() } } },
      );
    },
    async customerTyping(conversationId, typing) {
      const conv = await models.Conversation.findById(conversationId).lean<ConversationDoc>();
      const contact = conv
        ? await models.Contact.findById(conv.contactId, { name: 1 }).lean<ContactDoc>()
        : null;
      if (conv) notifier.typing(conv, 'contact', typing, contact?.name ?? null);
    },
    async customerRead(conversationId, upTo) {
      if (!Types.ObjectId.isValid(upTo)) return;
      const unread = await models.Message.find(
        {
          conversationId,
          direction: 'out',
          private: false,
          _id: { $lte: new Types.ObjectId(upTo) },
          readAt: null,
        },
        { _id: 1, conversationId: 1 },
      )
        .sort({ _id: 1 })
        .limit(500)
        .lean<MessageDoc[]>();
      for (const m of unread) await delivery.record(m, 'read');
    },
    async editInbound(inboxId, dedupeKey, text) {
      const at = new Date();
      const m = await models.Message.findOneAndUpdate(
        { inboxId, dedupeKey, direction: 'in' },
        { $set: { text, editedAt: at, 'meta.editedAt': at } },
        { new: true },
      ).lean<MessageDoc>();
      if (!m) return false;
      const conv = await models.Conversation.findById(m.conversationId).lean<ConversationDoc>();
      if (conv) notifier.messageUpdated(m, conv);
      return true;
    },
    linkIdentity: (contactId, identity) => linkIdentity(models, new Types.ObjectId(contactId), identity),
    attachments: {
      store: (data, meta) => attachments.store(data, meta),
      upload: (source, meta) => attachments.upload(source, meta),
      read: (fileId) => attachments.read(fileId),
      resolve: (list) => attachments.resolve(list),
      maxBytes: config.attachmentMaxBytes,
    },
    checkpoints: {
      async get(key) {
        return (await models.ChannelCheckpoint.findOne({ key }).lean())?.value ?? null;
      },
      async set(key, value) {
        await models.ChannelCheckpoint.updateOne({ key }, { $set: { value } }, { upsert: true });
      },
    },
    automatic: (conversationId, key, text) => replies.automatic(conversationId, key, text),
    availability: (inbox) => availability.of(inbox),
    surveys,
    redis,
    redisPrefix: config.redisPrefix,
    io,
    publicUrl: config.publicUrl,
    authSecret: config.authSecret,
    keyring: config.keyring,
    models,
  };
}
