/**
 * Use cases of the policy record: register a draft, list and read policies, move one through the review workflow,
 * save the self-review, sign off a joint review, read the history. Each loads with the repository, decides with
 * the domain (server/domain/policyWorkflow.ts and friends) and commits the decision as one guarded update.
 *
 * A policy the caller may not read answers 404 everywhere, exactly like an unknown or malformed id, so nobody
 * learns what another department is drafting; 403 is kept for "you can see it, but may not do this".
 */
import mongoose from 'mongoose';
import { FindingRepository } from '../db/findingRepository';
import { policyDirectoryFor } from '../db/policyDirectory';
import { PolicyRepository } from '../db/policyRepository';
import { isObjectIdHex } from '../db/storedValues';
import { lastHash, verifyChain } from '../domain/eventChain';
import { throwIfInvalid, type Problem } from '../domain/guards';
import { quorumStatus } from '../domain/jointReview';
import { decideSignOff, type SignOffInput } from '../domain/jointReview';
import { policyAllowedActions } from '../domain/permissions/allowedActions';
import { availableTransitions } from '../domain/permissions/policy';
import { latestVersion, type Policy } from '../domain/policy';
import { decideTransition, newPolicy, type NewPolicyInput, type TransitionCommand } from '../domain/policyWorkflow';
import { listSelection, type PolicyListFilters, type PolicySort, type PolicySummary, type SortOrder } from '../domain/policySummary';
import type { Actor } from '../domain/roles';
import { decideSelfReviewUpdate, type SelfReviewUpdate } from '../domain/selfReview';
import type { ServiceDeps } from './deps';
import { notifyHandover } from './handover';
import { displayNames, peopleOf, withActorNames } from './people';

type Deps = Pick<ServiceDeps, 'models' | 'clock' | 'logger'>;

const RECORD_ACTIONS: readonly string[] = ['upload_version', 'update_self_review', 'sign_off'];

async function departmentNames(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids)].filter(isObjectIdHex);
  const departments = await deps.models.Department.find({ _id: mongoose.trusted({ $in: valid }) }).lean();
  return new Map(departments.map((d) => [String(d._id), d.name]));
}

/** The record as the caller sees it: without the event history (see /history), with what they may do next. */
export function policyView(policy: Policy, actor: Actor, departmentName = '') {
  const { events, ...record } = policy;
  const allowedActions = policyAllowedActions(policy, actor);
  return {
    ...record,
    draftingDepartmentName: departmentName,
    latestVersion: latestVersion(policy)?.n ?? null,
    eventCount: events.length,
    jointReviewStatus: policy.jointReview ? quorumStatus(policy.jointReview) : null,
    availableActions: availableTransitions(policy, actor),
    availableRecordActions: allowedActions.filter((a) => a.allowed && RECORD_ACTIONS.includes(a.action)).map((a) => a.action),
    allowedActions,
  };
}

/** `policyView` with the drafting department's name looked up: what the policy use cases answer. */
async function respond(deps: Deps, policy: Policy, actor: Actor) {
  const [names, people] = await Promise.all([departmentNames(deps, [policy.draftingDepartmentId]), displayNames(deps.models, peopleOf(policy))]);
  // `people`: the display name of everyone the record names by id, so no one reads an id or a username.
  return { ...policyView(policy, actor, names.get(policy.draftingDepartmentId)), people };
}

/**
 * Members and evaluators named in a command must be active accounts with that role. Looked up before the
 * decision (the store is async, decisions are not) and reported after it, so state, revision and permission
 * problems still come first.
 */
async function assigneeProblems(deps: Deps, command: TransitionCommand): Promise<Problem[]> {
  const wanted: Array<{ path: string; id: string; role: 'committee_member' | 'evaluator' }> = [];
  if (command.action === 'request_joint_review') {
    for (const id of command.members ?? []) wanted.push({ path: 'members', id, role: 'committee_member' });
  }
  if (command.action === 'request_evaluation' && command.evaluatorId) {
    wanted.push({ path: 'evaluatorId', id: command.evaluatorId, role: 'evaluator' });
  }
  if (wanted.length === 0) return [];
  const ids = wanted.map((w) => w.id).filter(isObjectIdHex);
  const users = await deps.models.User.find({ _id: mongoose.trusted({ $in: ids }), active: true }).lean();
  const roleOf = new Map(users.map((u) => [String(u._id), u.role]));
  return wanted
    .filter((w) => roleOf.get(w.id) !== w.role)
    .map((w) => ({ path: w.path, message: `${w.id} 不是有效的${w.role === 'evaluator' ? '第三方评估机构' : '会审成员'}账号` }));
}

export async function registerPolicy(deps: Deps, actor: Actor, input: NewPolicyInput) {
  const policy = await new PolicyRepository(deps.models).create(newPolicy(actor, input, deps.clock()));
  return respond(deps, policy, actor);
}

export interface PolicyListQuery extends PolicyListFilters {
  sort: PolicySort;
  order: SortOrder;
  page: number;
  pageSize: number;
}

/** A list row: the columns the list shows (those of earlier versions of this API, plus a few). */
function listItem(s: PolicySummary) {
  return {
    id: s.id,
    title: s.title,
    docNumber: s.docNumber,
    kind: s.kind,
    issuingLevel: s.issuingLevel,
    industries: s.industries,
    draftingDepartmentId: s.draftingDepartmentId,
    draftingDepartmentName: s.draftingDepartmentName,
    state: s.state,
    rev: s.rev,
    latestVersion: s.latestVersion,
    outcome: s.outcome,
    publishedOn: s.publishedOn,
    openFindings: s.openFindings,
    deadline: s.deadline,
    updatedAt: s.updatedAt,
  };
}

/**
 * One page of the policies the caller may read, filtered and sorted, from the summaries this process holds in
 * memory (server/db/policyDirectory.ts: the embedded store cannot filter or sort a collection without reading it
 * whole).
 */
export async function listPolicies(deps: Deps, actor: Actor, query: PolicyListQuery) {
  const directory = policyDirectoryFor(deps.models);
  await directory.sync();
  const { items, total } = directory.page(listSelection(actor, query), query.sort, query.order, query.page, query.pageSize);
  return { items: items.map(listItem), total, page: query.page, pageSize: query.pageSize };
}

export async function readPolicy(deps: Deps, actor: Actor, id: string) {
  return respond(deps, await new PolicyRepository(deps.models).findReadable(id, actor), actor);
}

export async function transitionPolicy(deps: Deps, actor: Actor, id: string, command: TransitionCommand) {
  const invalidAssignees = await assigneeProblems(deps, command);
  const findings = new FindingRepository(deps.models);
  const updated = await new PolicyRepository(deps.models).commit(id, actor, async (policy) => {
    // A conclusion is checked against the decisions on the latest version's findings (their own collection).
    const facts = command.action === 'conclude' ? { latestFindings: await findings.statuses(policy.id, latestVersion(policy)?.n) } : {};
    const patch = decideTransition(policy, actor, command, deps.clock(), facts);
    throwIfInvalid(invalidAssignees);
    return patch;
  });
  // Telling the next people is a courtesy after the fact: a failure is logged, the transition stands.
  await notifyHandover(deps.models, updated, command.action, deps.clock()).catch((err: Error) => deps.logger.warn({ err, policyId: updated.id }, 'handover notification failed'));
  return respond(deps, updated, actor);
}

export async function policyHistory(deps: Deps, actor: Actor, id: string) {
  const { events } = await new PolicyRepository(deps.models).findReadable(id, actor);
  const names = await displayNames(deps.models, events.map((e) => e.actor.id));
  return { events: withActorNames(events, names), length: events.length };
}

export async function verifyPolicyHistory(deps: Deps, actor: Actor, id: string) {
  const { events } = await new PolicyRepository(deps.models).findReadable(id, actor);
  return { ...verifyChain(events), lastHash: lastHash(events) };
}

/** Saving the self-review; linked findings must be findings of the version the answers are given for. */
export async function saveSelfReview(deps: Deps, actor: Actor, id: string, update: SelfReviewUpdate) {
  const findings = new FindingRepository(deps.models);
  const updated = await new PolicyRepository(deps.models).commit(id, actor, async (policy) => {
    const knownFindingIds = await findings.ids(policy.id, latestVersion(policy)?.n ?? 0);
    return decideSelfReviewUpdate(policy, actor, update, deps.clock(), { knownFindingIds });
  });
  return respond(deps, updated, actor);
}

/** A committee member's sign-off; one that loses a race to another member's is decided again, never lost. */
export async function signOff(deps: Deps, actor: Actor, id: string, input: SignOffInput) {
  const updated = await new PolicyRepository(deps.models).commit(id, actor, (policy) => decideSignOff(policy, actor, input, deps.clock()));
  return respond(deps, updated, actor);
}
