/**
 * The built-in handbook policy, from Config: live channels pickup 5 min and reply 20 s,
 * email acknowledge 4 h and reply 24 h, Telegram reply 2 h, resolution 24 h (urgent 2 h,
 * returns 48 h), escalation 2 h, complaints acknowledge 1 h, solve 48 h, follow up 72 h.
 * It is tried after the admin's rules and the inbox's own targets.
 */
import type { SlaDefaults } from '../config';
import type { RuleLike } from './resolve';

const any = { inboxIds: [], channels: [], priorities: [], categories: [], vip: null };
const cal = (ms: number) => ({ ms, businessHours: false });

export function defaultPolicy(d: SlaDefaults): RuleLike[] {
  const rule = (
    name: string,
    order: number,
    match: Partial<RuleLike['match']>,
    targets: RuleLike['targets'],
  ) => ({
    id: `default:${name}`,
    name,
    order,
    enabled: true,
    match: { ...any, ...match },
    targets,
  });
  return [
    rule(
      'email',
      10,
      { channels: ['email'] },
      { pickup: cal(d.emailPickupTargetMs), reply: cal(d.emailReplyTargetMs) },
    ),
    rule('social', 20, { channels: ['telegram'] }, { reply: cal(d.socialReplyTargetMs) }),
    rule('urgent', 30, { priorities: [3] }, { resolution: cal(d.urgentResolutionTargetMs) }),
    rule('returns', 40, { categories: ['returns'] }, { resolution: cal(d.returnsResolutionTargetMs) }),
    rule(
      'general',
      100,
      {},
      {
        pickup: cal(d.pickupTargetMs),
        reply: cal(d.replyTargetMs),
        resolution: cal(d.resolutionTargetMs),
        escalation: cal(d.escalationTargetMs),
        complaint_acknowledgement: cal(d.complaintAcknowledgementTargetMs),
        complaint_solution: cal(d.complaintSolutionTargetMs),
        complaint_follow_up: cal(d.complaintFollowUpTargetMs),
      },
    ),
  ];
}
