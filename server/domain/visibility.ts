/**
 * Who may read a policy, as a predicate (`canRead`, for one loaded policy) and as a store filter
 * (`visibilityFilter`, for lists). The two must agree; the unit tests check them against each other.
 *
 * - drafter, drafting_lead: their own department's policies, drafts included
 * - regulator: every policy past `draft` (the market regulator supervises all review work, 条例21)
 * - committee_member: policies whose current joint review names them
 * - evaluator: policies with an evaluation assigned to them, past or present
 * - complaint_handler: policies that have been published (complaints are about issued measures)
 * - admin: everything
 */
import { ValidationError } from './errors';
import { POLICY_STATES, type Policy, type PolicyState } from './policy';
import type { Actor } from './roles';

export type VisibilityFields = Pick<Policy, 'state' | 'draftingDepartmentId' | 'jointReview' | 'evaluations' | 'publication'>;

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

export type MongoFilter = Record<string, unknown>;

/** The filter matching exactly the policies `canRead` allows. Uses only operators FerretDB supports. */
export function visibilityFilter(actor: Actor): MongoFilter {
  switch (actor.role) {
    case 'admin':
      return {};
    case 'drafter':
    case 'drafting_lead':
      return { draftingDepartmentId: actor.departmentId };
    case 'regulator':
      return { state: { $ne: 'draft' } };
    case 'committee_member':
      return { 'jointReview.members': actor.id };
    case 'evaluator':
      return { 'evaluations.evaluatorId': actor.id };
    case 'complaint_handler':
      return { publication: { $ne: null } };
  }
}

export interface PolicyListQuery {
  state?: PolicyState;
  departmentId?: string;
  /** matched literally against the title and document number */
  text?: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Visibility AND the list filters. Values are used as literals, never as operators. */
export function policyListFilter(actor: Actor, query: PolicyListQuery = {}): MongoFilter {
  const clauses: MongoFilter[] = [visibilityFilter(actor)];
  if (query.state !== undefined) {
    if (!POLICY_STATES.includes(query.state)) {
      throw new ValidationError('invalid_query', `未知的状态：${String(query.state)}`, { problems: [{ path: 'state', message: '未知的状态' }] });
    }
    clauses.push({ state: query.state });
  }
  if (query.departmentId !== undefined) clauses.push({ draftingDepartmentId: String(query.departmentId) });
  const text = query.text?.trim();
  if (text) {
    const pattern = escapeRegex(text);
    clauses.push({ $or: [{ title: { $regex: pattern } }, { docNumber: { $regex: pattern } }] });
  }
  const narrowing = clauses.filter((c) => Object.keys(c).length > 0);
  if (narrowing.length === 0) return {};
  return narrowing.length === 1 ? (narrowing[0] as MongoFilter) : { $and: narrowing };
}
