/**
 * What the caller may do with a resource now, as every resource answers it in `allowedActions`:
 *
 *   { action: 'start_review', allowed: false, reason: '请先上传草案文件' }
 *
 * An action is listed when the caller's role and the resource's state permit it (so the attempt would not be a
 * 403, nor a 409 for the wrong state). `allowed: false` then means a precondition of the record is still missing
 * and `reason` says which, in Chinese; an action not listed is one the caller cannot take now at all. Values the
 * caller still has to supply (a reason, a date) are checked on the attempt, not here. `kind` names the report of
 * a `request_report`, `policyId` the drawn policy of a spot check's `record_result`.
 */
import { manageAccountsRefusal } from './accounts';
import type { Complaint } from '../complaint';
import { replyOutcome } from '../complaint';
import { latestVersion, type Policy, type PolicyVersion } from '../policy';
import type { Actor } from '../roles';
import { missingFromSelfReview } from '../selfReview';
import type { SpotCheck } from '../spotCheck';
import { availableComplaintActions, isComplaintStaff } from './complaint';
import { POLICY_ACTIONS, POLICY_PERMISSIONS, createPolicyRefusal, type PolicyAction } from './policy';
import { screeningRefusal } from './screening';
import { listUsersRefusal, organiseSpotCheckRefusal, statisticsRefusal } from './supervision';

export interface AllowedAction {
  action: string;
  allowed: boolean;
  /** why not yet (only when `allowed` is false) */
  reason?: string;
  /** the report kind of a `request_report` */
  kind?: string;
  /** the drawn policy of a spot check's `record_result` */
  policyId?: string;
}

const allowed = (action: string, extra: Partial<AllowedAction> = {}): AllowedAction => ({ action, allowed: true, ...extra });
const notYet = (action: string, reason: string, extra: Partial<AllowedAction> = {}): AllowedAction => ({ action, allowed: false, reason, ...extra });
const entry = (action: string, reason: string | null, extra: Partial<AllowedAction> = {}) => (reason ? notYet(action, reason, extra) : allowed(action, extra));

/** Why the latest version cannot be worked on yet, or null when it is analysed. */
function unanalysed(version: PolicyVersion | undefined, upload = '请先上传草案文件'): string | null {
  if (!version) return upload;
  if (version.analysis.status === 'failed') return '最新版本分析失败，请重新分析或上传新版本';
  if (version.analysis.status !== 'analysed') return '请等待最新版本分析完成';
  return null;
}

/** Preconditions of the record (not of the caller's input) that an action still lacks. */
const POLICY_PRECONDITIONS: Partial<Record<PolicyAction, (policy: Policy, actor: Actor) => string | null>> = {
  start_review: (policy) => unanalysed(latestVersion(policy)),
  request_joint_review: (policy) => {
    const missing = missingFromSelfReview(policy);
    return missing.length > 0 ? `请先完成自我审查（尚缺：${missing.join('、')}）` : null;
  },
  submit_to_lead: (policy) => {
    if (policy.handover?.status === 'submitted') return '已提交负责人审核';
    return missingFromSelfReview(policy).length > 0 ? '请先完成自我审查' : null;
  },
  return_to_drafter: (policy) => (policy.handover?.status === 'submitted' ? null : '起草人尚未提交审核'),
  publish: (policy) => (policy.conclusion?.outcome === 'non_compliant' ? '审查结论为不符合公平竞争审查标准，不得出台（条例第十八条）' : null),
  resume_after_recheck: (policy) => {
    const latest = latestVersion(policy);
    if (!latest || latest.uploadedAt <= (policy.recheck?.openedAt ?? '')) return '请先上传修改后的新版本';
    return unanalysed(latest);
  },
  sign_off: (policy, actor) => (policy.jointReview?.signOffs.some((s) => s.memberId === actor.id) ? '您已签署过会审意见' : null),
  decide_finding: (policy) => unanalysed(latestVersion(policy), '尚无上传的文档版本'),
};

export const POLICY_REPORT_KINDS = ['review_form', 'annotated_draft', 'joint_review_opinion', 'evaluation_summary'] as const;
export type PolicyReportKind = (typeof POLICY_REPORT_KINDS)[number];

/** What a policy report still needs: the reason (with what is missing), or null when it can be rendered. */
export function policyReportPrecondition(kind: PolicyReportKind, policy: Policy): { reason: string; missing: string; code: string } | null {
  if (kind === 'joint_review_opinion' && !policy.jointReview) return { code: 'no_joint_review', reason: '该政策措施未进行会审', missing: 'jointReview' };
  if (kind === 'evaluation_summary' && policy.evaluations.length === 0) return { code: 'no_evaluation', reason: '该政策措施未委托第三方评估', missing: 'evaluation' };
  if (kind === 'annotated_draft' && !policy.versions.some((v) => v.analysis.status === 'analysed')) {
    return { code: 'not_analysed', reason: '该政策措施尚无完成分析的文档版本', missing: 'analysedVersion' };
  }
  return null;
}

/** For a policy the caller can read (reading is `canRead`, visibility.ts). */
export function policyAllowedActions(policy: Policy, actor: Actor): AllowedAction[] {
  const actions: AllowedAction[] = [];
  for (const action of POLICY_ACTIONS) {
    const permission = POLICY_PERMISSIONS[action];
    if (!permission.from.includes(policy.state) || permission.refusal(policy, actor)) continue;
    // Only a failed version is worth offering again; one whose job was lost the server also re-queues on request.
    if (action === 'reanalyse' && latestVersion(policy)?.analysis.status !== 'failed') continue;
    actions.push(entry(action, POLICY_PRECONDITIONS[action]?.(policy, actor) ?? null));
  }
  for (const kind of POLICY_REPORT_KINDS) actions.push(entry('request_report', policyReportPrecondition(kind, policy)?.reason ?? null, { kind }));
  return actions;
}

/** For a complaint the caller can read (complaint staff). */
export function complaintAllowedActions(complaint: Complaint, actor: Actor): AllowedAction[] {
  const actions = availableComplaintActions(complaint, actor).map((action) => allowed(action));
  if (isComplaintStaff(actor)) {
    actions.push(entry('request_report', replyOutcome(complaint) ? null : '举报尚未办理出结果，不能生成答复函', { kind: 'complaint_reply' }));
  }
  return actions;
}

/** For a spot check the caller can see: the results they still owe. */
export function spotCheckAllowedActions(spotCheck: Pick<SpotCheck, 'state' | 'entries'>, actor: Actor): AllowedAction[] {
  if (spotCheck.state !== 'in_progress') return [];
  return spotCheck.entries.filter((e) => e.reviewerIds.includes(actor.id) && !e.result).map((e) => allowed('record_result', { policyId: e.policyId }));
}

/** What the signed-in user may start, independent of any one resource (for navigation). */
export function userAllowedActions(actor: Actor): AllowedAction[] {
  const actions: AllowedAction[] = [];
  if (!createPolicyRefusal(actor)) actions.push(allowed('create_policy'));
  if (isComplaintStaff(actor)) actions.push(allowed('list_complaints'));
  if (!organiseSpotCheckRefusal(actor)) actions.push(allowed('create_spot_check'));
  actions.push(allowed('list_spot_checks'));
  if (!statisticsRefusal(actor)) actions.push(allowed('view_statistics'), allowed('request_report', { kind: 'statistics' }));
  if (!listUsersRefusal(actor, actor.role === 'admin' ? undefined : 'committee_member')) actions.push(allowed('list_users'));
  if (!screeningRefusal(actor, 'start_batch')) actions.push(allowed('start_screening_batch'), allowed('list_screening_batches'));
  if (!manageAccountsRefusal(actor)) actions.push(allowed('manage_accounts'));
  return actions;
}
