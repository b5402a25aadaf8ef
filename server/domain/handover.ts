/**
 * Who is told when a policy changes hands, and what: the department's leads when a self-review is submitted to
 * them, its submitter when a lead sends it back, the committee members when their sign-off is requested, the
 * evaluator when an evaluation is assigned, the drafting department's staff when the conclusion is recorded.
 * Pure: returns the notifications; the service finds the department's staff and stores them once each.
 */
import type { Policy } from './policy';

export interface HandoverNotice {
  /** unique per hand-over and person, so storing it twice stores it once */
  key: string;
  /** a user id, or everyone who drafts ('drafting_staff') or leads ('drafting_leads') in the policy's department */
  to: string;
  title: string;
  /** Shanghai date or instant the step runs against, if any */
  dueDate: string | null;
}

export function handoverNotices(policy: Policy, action: string): HandoverNotice[] {
  const at = `handover:${policy.id}:${policy.rev}`;
  if (action === 'request_joint_review' && policy.jointReview) {
    return policy.jointReview.members.map((memberId) => ({ key: `${at}:${memberId}`, to: memberId, title: `请签署会审意见：${policy.title}`, dueDate: policy.jointReview!.deadline }));
  }
  if (action === 'request_evaluation') {
    const evaluation = policy.evaluations.findLast((e) => e.status === 'requested');
    return evaluation ? [{ key: `${at}:${evaluation.evaluatorId}`, to: evaluation.evaluatorId, title: `请提交第三方评估意见：${policy.title}`, dueDate: evaluation.deadline }] : [];
  }
  if (action === 'submit_to_lead') return [{ key: `${at}:drafting_leads`, to: 'drafting_leads', title: `请审核自我审查：${policy.title}`, dueDate: null }];
  if (action === 'return_to_drafter' && policy.handover) {
    return [{ key: `${at}:${policy.handover.submittedBy}`, to: policy.handover.submittedBy, title: `自我审查已退回修改：${policy.title}（意见：${policy.handover.comments ?? ''}）`, dueDate: null }];
  }
  if (action === 'conclude') return [{ key: `${at}:drafting_staff`, to: 'drafting_staff', title: `已作出审查结论：${policy.title}`, dueDate: null }];
  return [];
}
