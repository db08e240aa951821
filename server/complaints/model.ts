/**
 * Complaint: the record of a conversation classified as a complaint — when it opened, the
 * solution proposed, the customer's acceptance and how it closed. One per conversation.
 */
import { Schema, type Connection, type Types } from 'mongoose';

export const COMPLAINT_STATUSES = ['open', 'solution_proposed', 'closed', 'withdrawn'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export interface ComplaintDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  inboxId: Types.ObjectId;
  status: ComplaintStatus;
  openedAt: Date;
  solution: { text: string; messageId: Types.ObjectId; agentId: Types.ObjectId; at: Date } | null;
  accepted: { at: Date; messageId: Types.ObjectId | null; by: 'agent' | 'customer' } | null;
  closedAt: Date | null;
  closedBy: 'accepted' | 'follow_up' | null;
  createdAt: Date;
}

const schema = new Schema<ComplaintDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    inboxId: { type: Schema.Types.ObjectId, ref: 'Inbox', required: true },
    status: { type: String, enum: COMPLAINT_STATUSES, default: 'open' },
    openedAt: { type: Date, required: true },
    solution: {
      type: new Schema(
        {
          text: { type: String, required: true },
          messageId: { type: Schema.Types.ObjectId, required: true },
          agentId: { type: Schema.Types.ObjectId, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    accepted: {
      type: new Schema(
        {
          at: { type: Date, required: true },
          messageId: { type: Schema.Types.ObjectId, default: null },
          by: { type: String, enum: ['agent', 'customer'], required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, enum: ['accepted', 'follow_up', null], default: null },
  },
  { timestamps: true },
);
// One complaint per conversation: opening it twice (two processes, a retry) finds the first.
schema.index({ conversationId: 1 }, { unique: true });
// "Two complaints in 90 days" counts a contact's recent complaints.
schema.index({ contactId: 1, openedAt: -1 });

export const registerComplaint = (db: Connection) => db.model<ComplaintDoc>('Complaint', schema);
