/**
 * Chinese wording for the machine values the reports show. Keys follow ARCHITECTURE.md (policy lifecycle) and
 * issue 6 (complaint states); an unknown key is shown as given rather than dropped, so new states stay visible.
 */

/** 公平竞争审查表 "性质" choices, in the form's order: the domain's own values and labels. */
export { POLICY_KIND_LABELS, type PolicyKind } from '../server/domain/policy.js';

export type ConclusionKind = 'compliant' | 'compliant_after_revision' | 'non_compliant' | 'exception';

/** 审查结论 wording (条例17; 办法29; the three outcomes plus issuing under an exception). */
export const CONCLUSION_LABELS: Readonly<Record<ConclusionKind, string>> = {
  compliant: '符合公平竞争审查标准，可以出台',
  compliant_after_revision: '经修改后符合公平竞争审查标准，可以出台',
  non_compliant: '违反公平竞争审查标准，不得出台',
  exception: '虽具有排除、限制竞争效果，但符合例外规定，可以出台',
};

/** Short conclusion names for tables and statistics. */
export const CONCLUSION_SHORT_LABELS: Readonly<Record<ConclusionKind, string>> = {
  compliant: '符合',
  compliant_after_revision: '修改后符合',
  non_compliant: '不符合',
  exception: '适用例外规定',
};

/** 条例12 (A) situations, for the (二) explanation of an exception (keys as in server/domain/policy.ts). */
export const EXCEPTION_SITUATION_LABELS: Readonly<Record<string, string>> = {
  national_security_development: '维护国家安全和发展利益',
  technology_innovation: '促进科学技术进步、增强国家自主创新能力',
  public_interest: '为实现节约能源、保护环境、救灾救助等社会公共利益',
  law_or_state_council: '法律、行政法规规定或者经国务院批准的其他情形',
};

export const POLICY_STATE_LABELS: Readonly<Record<string, string>> = {
  draft: '起草中',
  self_review: '自我审查',
  joint_review: '会审',
  third_party_evaluation: '第三方评估',
  concluded: '已作出审查结论',
  published: '已出台',
  recheck: '重新审查',
  revised: '已修订',
  abolished: '已废止',
  withdrawn: '已撤回',
};

export const COMPLAINT_STATE_LABELS: Readonly<Record<string, string>> = {
  received: '已接收',
  supplement_requested: '待补充材料',
  accepted: '已受理',
  not_accepted: '不予受理',
  verifying: '核查中',
  violation_confirmed: '确认违反',
  no_violation: '未发现违反',
  transferred: '已移送',
  replied: '已答复',
  closed: '已办结',
};

export type FindingStatus = 'confirmed' | 'dismissed' | 'pending';

export const FINDING_STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  confirmed: '已确认',
  dismissed: '已排除',
  pending: '待审查',
};

export type Vote = 'approve' | 'approve_with_changes' | 'reject';

export const VOTE_LABELS: Readonly<Record<Vote, string>> = {
  approve: '同意',
  approve_with_changes: '修改后同意',
  reject: '不同意',
};

/** A label from a table, or the key itself when the table does not know it. */
export function labelOf(labels: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '';
  return Object.hasOwn(labels, key) ? (labels[key] as string) : key;
}
