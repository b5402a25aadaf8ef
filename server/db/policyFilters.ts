/**
 * The store filters of policy lists: who may see which policies (`visibilityFilter`, the filter form of the
 * domain's `canRead` in server/domain/visibility.ts; the unit tests check that the two agree) and the list's own
 * filters. Operators are built here from typed values, never taken from a request; only operators FerretDB
 * supports are used.
 */
import { ValidationError } from '../domain/errors';
import { POLICY_STATES, type PolicyState } from '../domain/policy';
import type { Actor } from '../domain/roles';

export type MongoFilter = Record<string, unknown>;

/** The filter matching exactly the policies `canRead` allows. */
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
