/**
 * Who may read a policy, as a predicate (`canRead`), for one loaded policy and for the summaries the policy list and
 * the 待办 are served from (policySummary.ts `listSelection`, tasks.ts): the one place that decides it.
 *
 * - drafter, drafting_lead: their own department's policies, drafts included
 * - regulator: every policy past `draft` (the market regulator supervises all review work, 条例21)
 * - committee_member: policies whose current joint review names them
 * - evaluator: policies with an evaluation assigned to them, past or present
 * - complaint_handler: policies that have been published (complaints are about issued measures)
 * - admin: everything
 */
import type { PolicyState } from './policy';
import type { Actor } from './roles';

/** What visibility is decided on: a policy, or its summary in the list's read model (policySummary.ts). */
export interface VisibilityFields {
  state: PolicyState;
  draftingDepartmentId: string;
  jointReview?: { members: readonly string[] } | null;
  evaluations: ReadonlyArray<{ evaluatorId?: string | null }>;
  publication?: object | null;
}

export function canRead(policy: VisibilityFields, actor: Actor): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'drafter':
    case 'drafting_lead':
      return policy.draftingDepartmentId === actor.departmentId;
    case 'regulator':
      return policy.state !== 'draft';
    case 'committee_member':
      return policy.jointReview?.members.includes(actor.id) ?? false;
    case 'evaluator':
      return policy.evaluations.some((e) => e.evaluatorId === actor.id);
    case 'complaint_handler':
      return policy.publication !== null && policy.publication !== undefined;
  }
}

/**
 * A name for what `canRead` lets the actor see: actors with the same scope read exactly the same policies (a
 * drafter and their department's lead, every regulator), so a list computed for one serves them all.
 */
export function readScope(actor: Actor): string {
  switch (actor.role) {
    case 'admin':
    case 'regulator':
    case 'complaint_handler':
      return actor.role;
    case 'drafter':
    case 'drafting_lead':
      return `department:${actor.departmentId}`;
    case 'committee_member':
    case 'evaluator':
      return `${actor.role}:${actor.id}`;
  }
}
