/**
 * Who may do what to a policy, and from which states: the one place for it. The workflow decisions
 * (policyWorkflow, selfReview, jointReview, findingReview) check these rules before deciding, and
 * `policyAllowedActions` (allowedActions.ts) reports them to the client, so the buttons a client shows are
 * exactly the moves the server accepts.
 *
 * Admins read everything but make no review decisions: every act here is one a named official answers for.
 */
import { isDraftingStaff } from '../guards';
import { TRANSITION_ACTIONS, type Policy, type PolicyState, type TransitionAction } from '../policy';
import type { Actor } from '../roles';

/** Every act on a policy besides reading it: the transitions and the records that keep the state. */
export const POLICY_ACTIONS = [...TRANSITION_ACTIONS, 'upload_version', 'reanalyse', 'update_self_review', 'sign_off', 'decide_finding'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export interface PolicyPermission {
  /** the states the action may start from (another state: 409) */
  from: readonly PolicyState[];
  /** why this actor may not act (403), or null when they may */
  refusal(policy: Policy, actor: Actor): string | null;
}

const DRAFTING_STAFF = '只有起草单位的起草人或负责人可以执行';
const DRAFTING_LEAD = '只有起草单位负责人可以执行';

const draftingStaffOnly = (policy: Policy, actor: Actor) => (isDraftingStaff(policy, actor) ? null : DRAFTING_STAFF);
const draftingLeadOnly = (policy: Policy, actor: Actor) => (isDraftingStaff(policy, actor, ['drafting_lead']) ? null : DRAFTING_LEAD);
const draftingLeadOrRegulator = (policy: Policy, actor: Actor) =>
  actor.role === 'regulator' || isDraftingStaff(policy, actor, ['drafting_lead']) ? null : '只有起草单位负责人或市场监管部门可以执行';
/** Rechecks are opened and closed by the supervising side: regulators and complaint handlers. */
export function mayOpenPolicyRecheck(actor: Actor): boolean {
  return actor.role === 'regulator' || actor.role === 'complaint_handler';
}
const supervisors = (_policy: Policy, actor: Actor) => (mayOpenPolicyRecheck(actor) ? null : '只有市场监管部门或举报处理人员可以执行');

/** States that accept a new document version: before review, during self-review, and during a recheck. */
export const UPLOAD_STATES: readonly PolicyState[] = ['draft', 'self_review', 'recheck'];

/** While the policy is under review; once a conclusion is recorded the findings it relied on are frozen. */
export const FINDING_REVIEW_STATES: readonly PolicyState[] = ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'recheck'];

const ANY_STATE: readonly PolicyState[] = ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'concluded', 'published', 'recheck', 'abolished', 'withdrawn'];

export const POLICY_PERMISSIONS: Readonly<Record<PolicyAction, PolicyPermission>> = {
  start_review: { from: ['draft'], refusal: draftingStaffOnly },
  submit_to_lead: { from: ['self_review'], refusal: draftingStaffOnly },
  return_to_drafter: { from: ['self_review'], refusal: draftingLeadOnly },
  request_joint_review: { from: ['self_review'], refusal: draftingLeadOrRegulator },
  request_evaluation: { from: ['self_review', 'joint_review'], refusal: draftingLeadOrRegulator },
  submit_evaluation: {
    from: ['third_party_evaluation'],
    refusal(policy, actor) {
      const open = policy.evaluations.findLast((e) => e.status === 'requested');
      return actor.role === 'evaluator' && open?.evaluatorId === actor.id ? null : '只有被委托的第三方评估机构可以提交评估';
    },
  },
  conclude: {
    from: ['self_review', 'joint_review'],
    refusal(policy, actor) {
      if (policy.state === 'joint_review') return actor.role === 'regulator' ? null : '会审中只有市场监管部门可以作出审查结论';
      return draftingLeadOnly(policy, actor);
    },
  },
  publish: { from: ['concluded'], refusal: draftingStaffOnly },
  open_recheck: { from: ['published'], refusal: supervisors },
  resume_after_recheck: { from: ['recheck'], refusal: draftingStaffOnly },
  close_recheck: { from: ['recheck'], refusal: supervisors },
  abolish: { from: ['recheck'], refusal: draftingLeadOnly },
  withdraw: { from: ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'concluded'], refusal: draftingStaffOnly },
  upload_version: { from: UPLOAD_STATES, refusal: draftingStaffOnly },
  reanalyse: { from: ANY_STATE, refusal: (policy, actor) => (isDraftingStaff(policy, actor) ? null : '只有起草单位的起草人或负责人可以重新分析') },
  update_self_review: { from: ['self_review'], refusal: (policy, actor) => (isDraftingStaff(policy, actor) ? null : '只有起草单位的起草人或负责人可以填写自我审查') },
  sign_off: {
    from: ['joint_review'],
    refusal: (policy, actor) =>
      actor.role === 'committee_member' && policy.jointReview?.members.includes(actor.id) ? null : '只有被指定的会审成员可以签署意见',
  },
  decide_finding: {
    from: FINDING_REVIEW_STATES,
    refusal: (policy, actor) =>
      isDraftingStaff(policy, actor) || actor.role === 'regulator' ? null : '只有起草单位的起草人、负责人或市场监管部门可以确认或排除问题',
  },
};

/** Registering a new draft: drafting staff, for their own department. */
export function createPolicyRefusal(actor: Actor): string | null {
  return actor.role === 'drafter' || actor.role === 'drafting_lead' ? null : '只有起草单位的起草人或负责人可以登记政策措施';
}

/** The transitions this actor may attempt now (state and permission; preconditions are checked on the attempt). */
export function availableTransitions(policy: Policy, actor: Actor): TransitionAction[] {
  return TRANSITION_ACTIONS.filter((action) => POLICY_PERMISSIONS[action].from.includes(policy.state) && !POLICY_PERMISSIONS[action].refusal(policy, actor));
}

/** The states each transition may start from. */
export const ALLOWED_FROM: Readonly<Record<TransitionAction, readonly PolicyState[]>> = Object.fromEntries(
  TRANSITION_ACTIONS.map((action) => [action, POLICY_PERMISSIONS[action].from]),
) as Record<TransitionAction, readonly PolicyState[]>;
