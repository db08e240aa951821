/** Registers every model on one connection; the composition root holds the result. */
import type { Connection } from 'mongoose';
import { registerCategory } from '../classification/category';
import { registerClassificationRule } from '../classification/rule';
import { registerCalendar } from '../calendar/model';
import { registerAgent } from './agent';
import { registerAssignment } from './assignment';
import { registerChannelCheckpoint } from './checkpoint';
import { registerCounter } from './counter';
import { registerContact, registerContactIdentity } from './contact';
import { registerConversation } from './conversation';
import { registerConversationEvent } from './event';
import { registerInbox } from './inbox';
import { registerSlaMeasurement } from './measurement';
import { registerMessage } from './message';
import { registerTeam } from './team';
import { registerPolicyRule } from '../policy/model';
import { registerSurvey } from '../csat/model';
import { registerComplaint } from '../complaints/model';
import { registerFollowUpTask } from '../followups/model';
import { registerStaffAuditEntry } from '../audit/model';
import { registerCannedResponse } from '../canned/model';
import { registerForbiddenPhrase } from '../phrases/model';
import { registerContactNote } from '../profile/model';
import { registerSearchEntry } from '../search/model';
import { registerResolution } from '../reports/model';
import { registerHandover, registerShift } from '../shifts/model';
import { registerQualityRubric, registerQualitySample, registerQualityScore } from '../quality/model';
import { registerContactErasure } from '../privacy/model';
import {
  registerArticle,
  registerArticleCategory,
  registerKnowledgeEntry,
  registerKnowledgeMiss,
} from '../knowledge/model';

export function registerModels(db: Connection) {
  return {
    Inbox: registerInbox(db),
    Team: registerTeam(db),
    Agent: registerAgent(db),
    Contact: registerContact(db),
    ContactIdentity: registerContactIdentity(db),
    Conversation: registerConversation(db),
    Message: registerMessage(db),
    ConversationEvent: registerConversationEvent(db),
    Assignment: registerAssignment(db),
    SlaMeasurement: registerSlaMeasurement(db),
    ChannelCheckpoint: registerChannelCheckpoint(db),
    Counter: registerCounter(db),
    Category: registerCategory(db),
    ClassificationRule: registerClassificationRule(db),
    Calendar: registerCalendar(db),
    PolicyRule: registerPolicyRule(db),
    Survey: registerSurvey(db),
    Complaint: registerComplaint(db),
    FollowUpTask: registerFollowUpTask(db),
    StaffAuditEntry: registerStaffAuditEntry(db),
    CannedResponse: registerCannedResponse(db),
    ForbiddenPhrase: registerForbiddenPhrase(db),
    ContactNote: registerContactNote(db),
    SearchEntry: registerSearchEntry(db),
    Resolution: registerResolution(db),
    Shift: registerShift(db),
    Handover: registerHandover(db),
    QualityRubric: registerQualityRubric(db),
    QualitySample: registerQualitySample(db),
    QualityScore: registerQualityScore(db),
    ContactErasure: registerContactErasure(db),
    Article: registerArticle(db),
    ArticleCategory: registerArticleCategory(db),
    KnowledgeEntry: registerKnowledgeEntry(db),
    KnowledgeMiss: registerKnowledgeMiss(db),
  };
}

export type Models = ReturnType<typeof registerModels>;

/** Builds indexes for every model (idempotent); run at start-up. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}

export { isDuplicateKey } from './duplicate';
